import { PendoResponseError } from '../../errors';
import { stringifyLossless } from '../../pendo/lossless-number';
import { RECORD_KEYS } from '../../types';
import type { Entity, PendoRecord } from '../../types';
import type { ColumnValue } from './columns';
import { serializeRaw } from './raw-json';
import { typedColumns } from './tables';

/** Characters of a record shown in a validation error. */
const SNIPPET_LENGTH = 200;

/** A record mapped to its table's columns: `id`, the typed columns and `raw` as JSON text. */
export type CatalogRow = Record<string, ColumnValue> & { id: string; raw: string };

function snippet(value: unknown): string {
  let text: string;
  try {
    text = stringifyLossless(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}…` : text;
}

/**
 * Longest id accepted, in UTF-8 bytes. A btree index entry, such as a primary key, has a
 * limit of 2,704 bytes (PostgreSQL 12 and later with 8 KB pages), so a longer id would fail
 * the insert of its whole batch with a less specific error. Catalog ids are 27 characters.
 */
export const MAX_ID_BYTES = 2000;

/** U+0000, or a UTF-16 surrogate that is not part of a pair. */
const UNSTORABLE_ID_CHARACTER =
  /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Checks that `record` is an object with a non-empty string id (`id`, `visitorId` or
 * `accountId`, by entity) of at most MAX_ID_BYTES, without U+0000 or lone surrogates, and
 * returns the id. Throws PendoResponseError naming the entity and the start of the record
 * otherwise. Such ids are rejected, not replaced like other text, because the cursor and the
 * deletion check compare the stored id with the id Pendo sends.
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
  if (UNSTORABLE_ID_CHARACTER.test(id)) {
    throw new PendoResponseError(
      `Invalid ${entity} record: "${field}" ${JSON.stringify(id)} contains U+0000 or a lone ` +
        'surrogate, which PostgreSQL text cannot store exactly. The sync of this entity stops ' +
        'at this record until its id is changed in Pendo.',
    );
  }
  if (id.length > MAX_ID_BYTES / 3 && Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) {
    throw new PendoResponseError(
      `Invalid ${entity} record: "${field}" is ${Buffer.byteLength(id, 'utf8')} bytes long, ` +
        `more than the ${MAX_ID_BYTES} bytes a PostgreSQL index entry can hold. The sync of ` +
        `this entity stops at this record until its id is changed in Pendo: ${snippet(record)}`,
    );
  }
  return id;
}

/** Maps a Pendo record to the values of its table's columns, after validating its id. */
export function mapRecord(entity: Entity, record: PendoRecord): CatalogRow {
  const row: Record<string, ColumnValue> = { id: requireRecordId(entity, record) };
  for (const column of typedColumns(entity)) row[column.name] = column.read(record);
  row.raw = serializeRaw(record);
  return row as CatalogRow;
}
