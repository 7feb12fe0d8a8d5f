import type { CatalogEntity, PendoRecord } from '../types';
import { CATALOG_ENTITIES } from '../types';
import { SortedOrderCache } from './aggregation/sorted-order';
import { SimulatedClock } from './clock';
import { Catalog } from './data/catalog';
import { ENTITY_INFO, resolveEntity } from './data/entities';
import type { MutationRequest, MutationSummary } from './data/mutations';
import { applyMutation } from './data/mutations';
import { putCatalogRecord, putPersonRecord, readPutRecord } from './data/put-record';
import type { PutRecordResult } from './data/put-record';
import { NO_APP } from './data/store';
import { SimulatorHttpError } from './errors';
import { FaultQueue } from './http/faults';
import type { RequestLogEntry } from './http/request-log';
import type { ResolvedOptions } from './options';
import { Activity } from './activity/activity';
import { splitPersonCounts, applyPeopleMutation } from './activity/people/people-mutations';
import type { PersonEntity } from './activity/people/person-kinds';
import { PERSON_ENTITIES, resolvePersonEntity } from './activity/people/person-kinds';

/** App filter of truth reads. Subscription-level records (reports, segments) are always included. */
export interface AppSelection {
  /** Every app; when false or absent, only the default app -323232, as the API without `expand=*`. */
  allApps?: boolean;
}

/** Current record counts of one entity. */
export interface EntityCount {
  total: number;
  /** Per app id; empty for subscription-level entities. */
  byApp: Record<string, number>;
}

/** Record counts of the catalog entities and of `visitors` and `accounts`. */
export type SimulatorCounts = Record<CatalogEntity | PersonEntity, EntityCount>;

/** Converts an entity name (catalog name, API path or source) or throws a 400 naming it. */
export function requireEntity(name: string): CatalogEntity {
  const entity = resolveEntity(name);
  if (!entity) {
    throw new SimulatorHttpError(
      400,
      `unknown entity "${name}"; use one of ${CATALOG_ENTITIES.join(', ')}`,
    );
  }
  return entity;
}

/** The simulator's data, clock, faults and log, without the HTTP server. */
export class SimulatorState {
  readonly catalog: Catalog;
  readonly clock: SimulatedClock;
  readonly orders: SortedOrderCache;
  /** Visitors, accounts and their events. */
  readonly activity: Activity;
  readonly faults = new FaultQueue();
  readonly requestLog: RequestLogEntry[] = [];
  private mutationCount = 0;

  constructor(readonly options: ResolvedOptions) {
    this.clock = new SimulatedClock(options.startTime);
    this.catalog = new Catalog({
      seed: options.seed,
      appCount: options.apps,
      sizes: options.sizes,
      startTime: options.startTime,
      sharedTimestamps: options.sharedTimestamps,
    });
    this.orders = new SortedOrderCache(this.catalog);
    this.activity = new Activity(this.catalog, this.clock, options.activity);
  }

  /** Applies a mutation to the catalog, then to visitors and accounts named in it. */
  mutate(request: MutationRequest): MutationSummary {
    this.mutationCount++;
    const creates = splitPersonCounts(request.creates, 'creates');
    const updates = splitPersonCounts(request.updates, 'updates');
    const deletes = splitPersonCounts(request.deletes, 'deletes');
    const catalogRequest = {
      ...request,
      creates: creates.catalog,
      updates: updates.catalog,
      deletes: deletes.catalog,
    } as MutationRequest;
    const summary = applyMutation(this.catalog, this.clock, catalogRequest, this.mutationCount);
    const people = { creates: creates.people, updates: updates.people, deletes: deletes.people };
    const written = applyPeopleMutation(
      this.activity.people,
      this.clock,
      people,
      this.mutationCount,
      summary.lastTimestamp,
      request.sameTimestamp === true,
    );
    Object.assign(summary.changes, written.changes);
    summary.lastTimestamp = Math.max(summary.lastTimestamp, written.lastTimestamp);
    return summary;
  }

  /**
   * Puts a record, as an object or as JSON text sent byte for byte, in place of the record
   * with its id, or adds it. Later mutations that update it keep sending the record put.
   */
  putRecord(name: string, input: PendoRecord | string): PutRecordResult {
    const record = readPutRecord(input);
    const text = typeof input === 'string' ? input : undefined;
    const person = resolvePersonEntity(name);
    if (person) return putPersonRecord(this.activity.people, person, record, text);
    return putCatalogRecord(this.catalog, requireEntity(name), record, text);
  }

  /** Returns true when the record in `slot` is live and belongs to the selected apps. */
  isSelected(entity: CatalogEntity, slot: number, selection: AppSelection): boolean {
    const store = this.catalog.stores[entity];
    if (!store.isLive(slot)) return false;
    const appIndex = store.appIndex[slot] ?? NO_APP;
    return selection.allApps === true || appIndex === NO_APP || appIndex === 0;
  }

  /** Returns the ids of current records in API order. */
  truthIds(name: string, selection: AppSelection = {}): string[] {
    const person = resolvePersonEntity(name);
    if (person) return this.activity.people.truthIds(person);
    const entity = requireEntity(name);
    const store = this.catalog.stores[entity];
    const ids: string[] = [];
    for (let slot = 0; slot < store.size; slot++) {
      if (this.isSelected(entity, slot, selection)) ids.push(store.ids[slot] ?? '');
    }
    return ids;
  }

  /** Yields current records exactly as the list endpoint sends them, generating one at a time. */
  *records(name: string, selection: AppSelection = {}): Generator<PendoRecord> {
    const person = resolvePersonEntity(name);
    if (person) {
      yield* this.activity.people.records(person);
      return;
    }
    const entity = requireEntity(name);
    const store = this.catalog.stores[entity];
    for (let slot = 0; slot < store.size; slot++) {
      if (this.isSelected(entity, slot, selection)) yield this.catalog.generate(entity, slot);
    }
  }

  /** Returns the records of `records` as an async iterable, for `for await`. */
  truth(name: string, selection: AppSelection = {}): AsyncIterable<PendoRecord> {
    if (!resolvePersonEntity(name)) requireEntity(name);
    const iterator = this.records(name, selection);
    return {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(iterator.next()) }),
    };
  }

  counts(): SimulatorCounts {
    const counts = {} as SimulatorCounts;
    for (const entity of CATALOG_ENTITIES) {
      const store = this.catalog.stores[entity];
      const byApp: Record<string, number> = {};
      for (let slot = 0; slot < store.size; slot++) {
        const appIndex = store.appIndex[slot] ?? NO_APP;
        if (!store.isLive(slot) || appIndex === NO_APP || !ENTITY_INFO[entity].appLevel) continue;
        const appId = String(this.catalog.context.apps[appIndex]);
        byApp[appId] = (byApp[appId] ?? 0) + 1;
      }
      counts[entity] = { total: store.liveCount, byApp };
    }
    const people = this.activity.people.counts();
    for (const entity of PERSON_ENTITIES) counts[entity] = { total: people[entity], byApp: {} };
    return counts;
  }
}
