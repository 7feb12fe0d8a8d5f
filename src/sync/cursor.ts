import { recordIdOf, recordTimestampOf } from '../db/rows';
import type { Cursor, PendoRecord, RecordKeys } from '../types';

/**
 * Orders cursors by timestamp, then id. Ids compare by UTF-16 code unit, which equals
 * Pendo's byte order for the ASCII ids it generates.
 */
export function compareCursors(a: Cursor, b: Cursor): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** Returns the record's (timestamp, id) position, or null when either is missing. */
export function cursorOf(record: PendoRecord, keys: RecordKeys): Cursor | null {
  const timestamp = recordTimestampOf(record, keys);
  const id = recordIdOf(record, keys);
  if (timestamp === undefined || id === undefined) return null;
  return { timestamp, id };
}

/** Returns the greatest cursor among `start` and the records, so it never moves backwards. */
export function advanceCursor(
  start: Cursor | null,
  records: PendoRecord[],
  keys: RecordKeys,
): Cursor | null {
  let best = start;
  for (const record of records) {
    const candidate = cursorOf(record, keys);
    if (candidate && (best === null || compareCursors(candidate, best) > 0)) best = candidate;
  }
  return best;
}

/** Returns the greatest string id among `start` and the records. */
export function advanceId(
  start: string | null,
  records: PendoRecord[],
  keys: RecordKeys,
): string | null {
  let best = start;
  for (const record of records) {
    const id = recordIdOf(record, keys);
    if (id !== undefined && (best === null || id > best)) best = id;
  }
  return best;
}

export function sameCursor(a: Cursor | null, b: Cursor | null): boolean {
  if (a === null || b === null) return a === b;
  return compareCursors(a, b) === 0;
}
