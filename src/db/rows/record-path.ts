import { LosslessNumber } from '../../pendo/lossless-number';
import type { PendoRecord, RecordKeys } from '../../types';

/** Reads a dotted path such as `metadata.auto.lastupdated`; a missing step gives undefined. */
export function readRecordPath(record: PendoRecord, path: string): unknown {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Returns the record's id when it is a string. */
export function recordIdOf(
  record: PendoRecord,
  keys: Pick<RecordKeys, 'idField'>,
): string | undefined {
  const id = record[keys.idField];
  return typeof id === 'string' ? id : undefined;
}

/**
 * Returns the record's last-update time in epoch ms when it is a finite number. A time beyond
 * 2^53 ms (a LosslessNumber) is rounded to the nearest double, which only orders pages.
 */
export function recordTimestampOf(record: PendoRecord, keys: RecordKeys): number | undefined {
  const found = readRecordPath(record, keys.timestampPath);
  const timestamp = found instanceof LosslessNumber ? found.valueOf() : found;
  return typeof timestamp === 'number' && Number.isFinite(timestamp) ? timestamp : undefined;
}
