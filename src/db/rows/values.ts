import { LosslessNumber } from '../../pendo/lossless-number';
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

const MIN_BIGINT = -(2n ** 63n);
const MAX_BIGINT = 2n ** 63n - 1n;

/**
 * Converts a string of decimal digits to a value for a PostgreSQL bigint column: a number when
 * it is a safe integer, a BigInt beyond that, and null outside the bigint range (±2^63).
 */
function bigintValueOrNull(digits: string): number | bigint | null {
  if (!/^-?\d{1,19}$/.test(digits)) return null;
  return bigintInRangeOrNull(BigInt(digits));
}

function bigintInRangeOrNull(integer: bigint): number | bigint | null {
  if (integer < MIN_BIGINT || integer > MAX_BIGINT) return null;
  const number = Number(integer);
  return Number.isSafeInteger(number) ? number : integer;
}

/**
 * Returns an integer that fits a PostgreSQL bigint: a safe integer as is, a larger one (a
 * LosslessNumber, a string of digits, or a number the parser found exact, such as 2^53) as a
 * BigInt with every digit. Anything else, an integer beyond ±2^63 included, is null.
 */
export function integerOrNull(value: unknown): number | bigint | null {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    return Number.isInteger(value) ? bigintInRangeOrNull(BigInt(value)) : null;
  }
  if (value instanceof LosslessNumber) return bigintValueOrNull(value.text);
  if (typeof value === 'string') return bigintValueOrNull(value);
  return null;
}

/** Returns the integers of an array (others are skipped), or null when the value is no array. */
export function integerArrayOrNull(value: unknown): (number | bigint)[] | null {
  if (!Array.isArray(value)) return null;
  const integers: (number | bigint)[] = [];
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
  if (id instanceof LosslessNumber && /^-?\d+$/.test(id.text)) return id.text;
  return null;
}
