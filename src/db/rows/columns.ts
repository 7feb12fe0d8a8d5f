import type { PendoRecord } from '../../types';
import { integerArrayOrNull, integerOrNull, msToDate, stringOrNull, userIdOrNull } from './values';

/** PostgreSQL type of a staged column; the COPY text encoding depends on it. */
export type ColumnType =
  'text' | 'text[]' | 'bigint' | 'bigint[]' | 'integer' | 'boolean' | 'timestamptz' | 'jsonb';

/** A mapped value. A BigInt is an integer of a bigint column beyond ±(2^53 − 1). */
export type ColumnValue =
  | string
  | number
  | bigint
  | boolean
  | Date
  | readonly (number | bigint)[]
  | readonly string[]
  | null;

/** One column that a record is mapped to. `name` is a fixed identifier, never taken from input. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly read: (record: PendoRecord) => ColumnValue;
}

/**
 * Columns that every catalog table has and that come from the record. `raw` is mapped
 * separately (see `serializeRaw`), and first_seen_at, synced_at and deleted_at are set by
 * the merge.
 */
export const ENVELOPE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'app_id', type: 'bigint', read: (r) => integerOrNull(r.appId) },
  { name: 'app_ids', type: 'bigint[]', read: (r) => integerArrayOrNull(r.appIds) },
  { name: 'kind', type: 'text', read: (r) => stringOrNull(r.kind) },
  { name: 'name', type: 'text', read: (r) => stringOrNull(r.name) },
  { name: 'created_at', type: 'timestamptz', read: (r) => msToDate(r.createdAt) },
  { name: 'last_updated_at', type: 'timestamptz', read: (r) => msToDate(r.lastUpdatedAt) },
  { name: 'created_by_user_id', type: 'text', read: (r) => userIdOrNull(r, 'createdByUser') },
  {
    name: 'last_updated_by_user_id',
    type: 'text',
    read: (r) => userIdOrNull(r, 'lastUpdatedByUser'),
  },
];
