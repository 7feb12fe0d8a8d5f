import type { PendoRecord } from '../../types';
import type { GenerationContext } from './context';

const caches = new WeakMap<GenerationContext, Map<string, PendoRecord>>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * Returns the record `build` makes for `key`, building it once per context. Used for the
 * small pools (users, groups) nested in every record. The result is frozen because many
 * records share it: a caller that changes a returned record gets a TypeError instead of
 * silently changing other records.
 */
export function memoize(
  context: GenerationContext,
  key: string,
  build: () => PendoRecord,
): PendoRecord {
  let cache = caches.get(context);
  if (!cache) {
    cache = new Map();
    caches.set(context, cache);
  }
  let record = cache.get(key);
  if (!record) {
    record = deepFreeze(build());
    cache.set(key, record);
  }
  return record;
}
