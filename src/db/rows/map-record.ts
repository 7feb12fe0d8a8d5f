import { PendoResponseError } from '../../errors';
import { RECORD_KEYS } from '../../types';
import type { Entity, PendoRecord } from '../../types';
import type { ColumnValue } from './columns';
import { typedColumns } from './tables';

/** Characters of a record shown in a validation error. */
const SNIPPET_LENGTH = 200;

/** A record mapped to its table's columns: `id`, the typed columns and `raw` as JSON text. */
export type CatalogRow = Record<string, ColumnValue> & { id: string; raw: string };

function snippet(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}…` : text;
}

/**
 * Checks that `record` is an object with a non-empty string id (`id`, `visitorId` or
 * `accountId`, by entity) and returns the id. Throws PendoResponseError naming the entity and
 * the start of the record otherwise.
 */
export function requireRecordId(entity: Entity, record: unknown): string {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new PendoResponseError(
      `Invalid ${entity} record: expected a JSON object, got ${snippet(record)}`,
    );
  }
  const field = RECORD_KEYS[entity].idField;
  const id = (record as PendoRecord)[field];
  if (typeof id !== 'string' || id === '') {
    throw new PendoResponseError(
      `Invalid ${entity} record: "${field}" must be a non-empty string, got ${snippet(id)} in ${snippet(record)}`,
    );
  }
  return id;
}

/** JSON escapes that jsonb rejects: U+0000 and lone UTF-16 surrogates, after a run of backslashes. */
const UNSTORABLE_ESCAPE = /(\\+)u(0000|d[89a-f][0-9a-f]{2})/gi;

/**
 * Serializes a record for the `raw` jsonb column. PostgreSQL rejects U+0000 and lone
 * surrogates (JSON.stringify escapes both, and writes valid pairs as characters), so these
 * are replaced by U+FFFD and one odd record cannot fail its whole batch. Every other
 * character is kept.
 */
export function serializeRaw(record: PendoRecord): string {
  const json = JSON.stringify(record);
  if (!/\\u(0000|d[89a-f])/i.test(json)) return json;
  // An odd run of backslashes ends in an escape; an even run is escaped backslashes
  // followed by literal text.
  return json.replace(UNSTORABLE_ESCAPE, (match, slashes: string) =>
    slashes.length % 2 === 1 ? `${slashes.slice(0, -1)}\\ufffd` : match,
  );
}

/** Maps a Pendo record to the values of its table's columns, after validating its id. */
export function mapRecord(entity: Entity, record: PendoRecord): CatalogRow {
  const row: Record<string, ColumnValue> = { id: requireRecordId(entity, record) };
  for (const column of typedColumns(entity)) row[column.name] = column.read(record);
  row.raw = serializeRaw(record);
  return row as CatalogRow;
}
