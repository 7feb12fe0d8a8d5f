import type { PendoRecord } from '../../types';

/**
 * Readers that turn one field of a Pendo record into a column value. They never throw:
 * a field of the wrong type becomes null, because `raw` keeps the original anyway.
 */

/** Largest epoch-millisecond value a JavaScript Date can hold (±100,000,000 days). */
const MAX_DATE_MS = 8.64e15;

/** Converts epoch milliseconds to a Date. 0, null, missing, non-finite or out-of-range values are null, so "unset" never becomes 1970. */
export function msToDate(value: unknown): Date | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value === 0) return null;
  if (Math.abs(value) > MAX_DATE_MS) return null;
  return new Date(value);
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function booleanOrNull(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** Returns a safe integer as is, a string of digits as a number, anything else as null. */
export function integerOrNull(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return null;
}

/** Returns the integers of an array (others are skipped), or null when the value is no array. */
export function integerArrayOrNull(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  const integers: number[] = [];
  for (const item of value) {
    const integer = integerOrNull(item);
    if (integer !== null) integers.push(integer);
  }
  return integers;
}

export function arrayLengthOrNull(value: unknown): number | null {
  return Array.isArray(value) ? value.length : null;
}

/** Reads `record[key][field]` when `record[key]` is an object. */
export function nestedField(record: PendoRecord, key: string, field: string): unknown {
  const parent = record[key];
  if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) return undefined;
  return (parent as Record<string, unknown>)[field];
}

/** Reads the id of a nested user object. Pendo sends an empty id for "no user", which becomes null. */
export function userIdOrNull(record: PendoRecord, key: string): string | null {
  const id = nestedField(record, key, 'id');
  if (typeof id === 'string') return id === '' ? null : id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  return null;
}
