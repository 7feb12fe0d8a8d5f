import type { SimulatedClock } from '../../clock';
import type { EntityChanges } from '../../data/mutations';
import { SimulatorHttpError } from '../../errors';
import { Random } from '../../random';
import type { People } from './people';
import type { PersonEntity } from './person-kinds';
import { PERSON_ENTITIES, PERSON_KINDS, resolvePersonEntity } from './person-kinds';
import type { PersonStore } from './person-store';

/** Counts of people to create, update and delete, keyed by `visitors` or `accounts`. */
export interface PeopleMutation {
  creates: Map<PersonEntity, number>;
  updates: Map<PersonEntity, number>;
  deletes: Map<PersonEntity, number>;
}

/**
 * Splits a mutation's counts object into the catalog part and the `visitors`/`accounts`
 * part (also spelled `visitor`/`account`), so the catalog mutation receives only its entities.
 * Values that are not objects pass through for the catalog mutation to reject.
 */
export function splitPersonCounts(
  counts: unknown,
  field: string,
): { catalog: unknown; people: Map<PersonEntity, number> } {
  const people = new Map<PersonEntity, number>();
  if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) {
    return { catalog: counts, people };
  }
  const catalog: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(counts as Record<string, unknown>)) {
    const entity = resolvePersonEntity(name);
    if (!entity) {
      catalog[name] = value;
      continue;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new SimulatorHttpError(400, `${field}.${name} must be a non-negative integer`);
    }
    people.set(entity, (people.get(entity) ?? 0) + value);
  }
  return { catalog, people };
}

function pickLive(store: PersonStore, count: number, random: Random): number[] {
  const live: number[] = [];
  for (let slot = 0; slot < store.size; slot++) if (store.isLive(slot)) live.push(slot);
  const picks = Math.min(count, live.length);
  for (let i = 0; i < picks; i++) {
    const j = random.int(i, live.length - 1);
    [live[i], live[j]] = [live[j] ?? 0, live[i] ?? 0];
  }
  return live.slice(0, picks);
}

/**
 * Applies deletes, then updates, then creates to visitors and accounts. Each written record
 * gets its own `lastupdated` after `after`, one millisecond apart, unless `shared` gives them
 * all one. The clock moves to the last timestamp written.
 */
export function applyPeopleMutation(
  people: People,
  clock: SimulatedClock,
  mutation: PeopleMutation,
  sequence: number,
  after: number,
  shared = false,
): { changes: Partial<Record<PersonEntity, EntityChanges>>; lastTimestamp: number } {
  const changes: Partial<Record<PersonEntity, EntityChanges>> = {};
  let timestamp = after;
  for (const entity of PERSON_ENTITIES) {
    const store = people.stores[entity];
    const random = Random.of(people.context.seed, 'mutation', sequence, entity);
    const entry: EntityChanges = { created: [], updated: [], deleted: [] };
    for (const slot of pickLive(store, mutation.deletes.get(entity) ?? 0, random)) {
      store.remove(slot);
      entry.deleted.push(store.ids[slot] ?? '');
    }
    for (const slot of pickLive(store, mutation.updates.get(entity) ?? 0, random)) {
      store.touch(slot, shared ? after + 1 : ++timestamp);
      entry.updated.push(store.ids[slot] ?? '');
    }
    for (let i = 0; i < (mutation.creates.get(entity) ?? 0); i++) {
      const id = PERSON_KINDS[entity].id(people.context.seed, store.size);
      store.append(id, shared ? after + 1 : ++timestamp);
      entry.created.push(id);
    }
    const touched = entry.created.length + entry.updated.length + entry.deleted.length;
    if (touched > 0) changes[entity] = entry;
  }
  if (shared && Object.keys(changes).length > 0) timestamp = after + 1;
  clock.advanceTo(timestamp);
  return { changes, lastTimestamp: timestamp };
}
