import type { PeopleEntity, PendoRecord } from '../../types';
import type { ColumnSpec } from './columns';
import { serializeRaw } from './raw-json';
import { readRecordPath } from './record-path';
import { booleanOrNull, msToDate, stringOrNull } from './values';

/** Visitor ids of anonymous visitors start with this prefix. */
export const ANONYMOUS_VISITOR_PREFIX = '_PENDO_T_';

function stringArrayOrNull(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.filter((item): item is string => typeof item === 'string');
}

function metadataOrNull(record: PendoRecord): string | null {
  const metadata = record.metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return null;
  return serializeRaw(metadata as PendoRecord);
}

/** Columns that both people tables have. `metadata` is JSON text, serialized as `raw` is. */
const PERSON_COLUMNS: readonly ColumnSpec[] = [
  {
    name: 'first_visit',
    type: 'timestamptz',
    read: (r) => msToDate(readRecordPath(r, 'metadata.auto.firstvisit')),
  },
  {
    name: 'last_visit',
    type: 'timestamptz',
    read: (r) => msToDate(readRecordPath(r, 'metadata.auto.lastvisit')),
  },
  {
    name: 'last_updated_at',
    type: 'timestamptz',
    read: (r) => msToDate(readRecordPath(r, 'metadata.auto.lastupdated')),
  },
  { name: 'metadata', type: 'jsonb', read: metadataOrNull },
];

const VISITOR_COLUMNS: readonly ColumnSpec[] = [
  {
    name: 'account_id',
    type: 'text',
    read: (r) => stringOrNull(readRecordPath(r, 'metadata.auto.accountid')),
  },
  {
    name: 'account_ids',
    type: 'text[]',
    read: (r) => stringArrayOrNull(readRecordPath(r, 'metadata.auto.accountids')),
  },
  ...PERSON_COLUMNS,
  {
    name: 'is_anonymous',
    type: 'boolean',
    read: (r) =>
      typeof r.visitorId === 'string' ? r.visitorId.startsWith(ANONYMOUS_VISITOR_PREFIX) : null,
  },
  {
    name: 'do_not_process',
    type: 'boolean',
    read: (r) => booleanOrNull(readRecordPath(r, 'metadata.pendo.donotprocess')),
  },
  {
    name: 'email',
    type: 'text',
    read: (r) => stringOrNull(readRecordPath(r, 'metadata.agent.email')),
  },
  {
    name: 'browser',
    type: 'text',
    read: (r) => stringOrNull(readRecordPath(r, 'metadata.auto.lastbrowsername')),
  },
  {
    name: 'operating_system',
    type: 'text',
    read: (r) => stringOrNull(readRecordPath(r, 'metadata.auto.lastoperatingsystem')),
  },
];

const ACCOUNT_COLUMNS: readonly ColumnSpec[] = [
  {
    name: 'name',
    type: 'text',
    read: (r) => stringOrNull(readRecordPath(r, 'metadata.agent.name')),
  },
  ...PERSON_COLUMNS,
];

/** Typed columns of the people tables. They have no envelope columns (no app id, no kind). */
export const PEOPLE_COLUMNS: Readonly<Record<PeopleEntity, readonly ColumnSpec[]>> = {
  visitors: VISITOR_COLUMNS,
  accounts: ACCOUNT_COLUMNS,
};
