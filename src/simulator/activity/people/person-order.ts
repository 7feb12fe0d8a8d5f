import type { SortKey } from '../../aggregation/compare';
import { compareValues } from '../../aggregation/compare';
import type { People } from './people';
import type { PersonEntity } from './person-kinds';
import { PersonRow } from './person-row';

const MAX_CACHED_ORDERS = 8;

/** Reads one sort key of every slot, from the light index when the path is indexed. */
function keyColumn(people: People, entity: PersonEntity, path: string): unknown[] {
  const store = people.stores[entity];
  const values = new Array<unknown>(store.size);
  for (let slot = 0; slot < store.size; slot++) {
    if (store.isLive(slot)) values[slot] = new PersonRow(people, entity, slot).get(path);
  }
  return values;
}

/**
 * Sorted orders of visitor or account slots, rebuilt only when the store changes. The sort
 * is stable (ties keep slot order), so walking an order and filtering on the way equals
 * filtering then sorting, and a keyset page over 100,000 visitors needs no full records.
 */
export class PersonOrderCache {
  private readonly orders = new Map<string, { revision: number; order: Uint32Array }>();

  constructor(private readonly people: People) {}

  order(entity: PersonEntity, keys: SortKey[]): Uint32Array {
    const store = this.people.stores[entity];
    const cacheKey = `${entity}|${keys.map((key) => (key.descending ? '-' : '') + key.path).join(',')}`;
    const cached = this.orders.get(cacheKey);
    if (cached && cached.revision === store.revision) return cached.order;
    const order = this.build(entity, keys);
    this.orders.delete(cacheKey);
    this.orders.set(cacheKey, { revision: store.revision, order });
    if (this.orders.size > MAX_CACHED_ORDERS) {
      const oldest = this.orders.keys().next().value;
      if (oldest !== undefined) this.orders.delete(oldest);
    }
    return order;
  }

  private build(entity: PersonEntity, keys: SortKey[]): Uint32Array {
    const columns = keys.map((key) => keyColumn(this.people, entity, key.path));
    const signs = keys.map((key) => (key.descending ? -1 : 1));
    const size = this.people.stores[entity].size;
    const slots = Array.from({ length: size }, (_, slot) => slot);
    slots.sort((a, b) => {
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i] ?? [];
        const difference = compareValues(column[a], column[b]);
        if (difference !== 0) return difference * (signs[i] ?? 1);
      }
      return a - b;
    });
    return Uint32Array.from(slots);
  }
}
