import type { CatalogEntity } from '../../types';
import { CATALOG_ENTITIES } from '../../types';
import type { SimulatedClock } from '../clock';
import { SimulatorHttpError } from '../errors';
import { Random } from '../random';
import type { Catalog } from './catalog';
import { pickAppIndex } from './catalog';
import { recordId } from './context';
import { ENTITY_INFO, resolveEntity } from './entities';
import type { EntityStore } from './store';
import type { PersonEntity } from '../activity/people/person-kinds';

/**
 * Counts per entity; keys are catalog names (`track_types`), API paths (`tracktype`), or
 * `visitors` and `accounts`.
 */
export type EntityCounts = Partial<Record<CatalogEntity | PersonEntity, number>>;

export interface MutationRequest {
  creates?: EntityCounts;
  updates?: EntityCounts;
  deletes?: EntityCounts;
  /** Give every created and updated record one shared `lastUpdatedAt`. */
  sameTimestamp?: boolean;
}

/** Ids touched by one mutation in one entity. */
export interface EntityChanges {
  created: string[];
  updated: string[];
  deleted: string[];
}

export interface MutationSummary {
  /** 1 for the first mutation of a simulator, then 2, 3, … */
  sequence: number;
  /** Simulated time of the earliest and latest `lastUpdatedAt` written (equal when nothing was written). */
  firstTimestamp: number;
  lastTimestamp: number;
  changes: Partial<Record<CatalogEntity | PersonEntity, EntityChanges>>;
}

/** Validates one counts object and maps its keys to catalog entities. */
function normalizeCounts(counts: unknown, field: string): Map<CatalogEntity, number> {
  const result = new Map<CatalogEntity, number>();
  if (counts === undefined) return result;
  if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) {
    throw new SimulatorHttpError(400, `${field} must be an object of entity counts`);
  }
  for (const [name, value] of Object.entries(counts)) {
    const entity = resolveEntity(name);
    if (!entity) throw new SimulatorHttpError(400, `${field}: unknown entity "${name}"`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new SimulatorHttpError(400, `${field}.${name} must be a non-negative integer`);
    }
    result.set(entity, (result.get(entity) ?? 0) + value);
  }
  return result;
}

/** Picks `count` distinct live slots (all of them when fewer are live), in a seeded order. */
function pickLiveSlots(store: EntityStore, count: number, random: Random): number[] {
  const live = store.liveSlots();
  const picks = Math.min(count, live.length);
  for (let i = 0; i < picks; i++) {
    const j = random.int(i, live.length - 1);
    const swap = live[i] ?? 0;
    live[i] = live[j] ?? 0;
    live[j] = swap;
  }
  return Array.from(live.subarray(0, picks));
}

/** Hands out `lastUpdatedAt` values: one shared value, or values about three records share. */
class TimestampPlan {
  private readonly spread: number;
  first: number;
  last: number;

  constructor(
    private readonly base: number,
    total: number,
    private readonly random: Random,
    shared: boolean,
  ) {
    this.spread = shared ? 1 : Math.max(1, Math.ceil(total / 3));
    this.first = base;
    this.last = base;
  }

  next(): number {
    const timestamp = this.base + this.random.int(0, this.spread - 1);
    this.last = Math.max(this.last, timestamp);
    return timestamp;
  }
}

function changesFor(summary: MutationSummary, entity: CatalogEntity): EntityChanges {
  summary.changes[entity] ??= { created: [], updated: [], deleted: [] };
  return summary.changes[entity];
}

/**
 * Applies one mutation: deletes first, then updates among the records left, then creates.
 * Every choice comes from the seed and `sequence`, so the same calls give the same data.
 * The clock moves forward by 1-60 simulated seconds, then to the latest timestamp written.
 */
export function applyMutation(
  catalog: Catalog,
  clock: SimulatedClock,
  request: MutationRequest,
  sequence: number,
): MutationSummary {
  const deletes = normalizeCounts(request.deletes, 'deletes');
  const updates = normalizeCounts(request.updates, 'updates');
  const creates = normalizeCounts(request.creates, 'creates');

  const seed = catalog.context.seed;
  const random = Random.of(seed, 'mutation', sequence);
  const base = clock.now() + random.int(1000, 60_000);
  let total = 0;
  for (const count of [...updates.values(), ...creates.values()]) total += count;
  const times = new TimestampPlan(base, total, random, request.sameTimestamp === true);

  const summary: MutationSummary = {
    sequence,
    firstTimestamp: base,
    lastTimestamp: base,
    changes: {},
  };
  for (const entity of CATALOG_ENTITIES) {
    const store = catalog.stores[entity];
    const picker = Random.of(seed, 'mutation', sequence, entity);
    for (const slot of pickLiveSlots(store, deletes.get(entity) ?? 0, picker)) {
      store.remove(slot);
      changesFor(summary, entity).deleted.push(store.ids[slot] ?? '');
    }
    for (const slot of pickLiveSlots(store, updates.get(entity) ?? 0, picker)) {
      store.touch(slot, times.next());
      changesFor(summary, entity).updated.push(store.ids[slot] ?? '');
    }
    createRecords(catalog, entity, creates.get(entity) ?? 0, picker, times, summary);
  }

  summary.lastTimestamp = times.last;
  clock.advanceTo(times.last);
  return summary;
}

function createRecords(
  catalog: Catalog,
  entity: CatalogEntity,
  count: number,
  random: Random,
  times: TimestampPlan,
  summary: MutationSummary,
): void {
  const store = catalog.stores[entity];
  const appCount = catalog.context.apps.length;
  for (let i = 0; i < count; i++) {
    const slot = store.size;
    const id = recordId(catalog.context, entity, slot);
    const timestamp = times.next();
    store.append(
      id,
      pickAppIndex(random, appCount, ENTITY_INFO[entity].appLevel),
      timestamp,
      timestamp,
    );
    changesFor(summary, entity).created.push(id);
  }
}
