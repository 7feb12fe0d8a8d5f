import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Entity, PendoRecord } from '../types';
import { encodeCopyValue, escapeCopyText } from './copy-text';
import { requireRecordId, serializeRaw, typedColumns } from './rows';

/** Temporary table that contains one batch between the COPY and the merge. */
export const STAGING_TABLE = 'pendo_sync_stage';

/**
 * Rows are joined into chunks of about this many characters before they are written to the
 * COPY stream, because every write becomes its own CopyData message and socket write.
 */
const COPY_CHUNK_CHARS = 64 * 1024;

/** Returns the staging table's columns in COPY order: ordinal, id, typed columns, raw. */
function stagingColumns(entity: Entity): { name: string; type: string }[] {
  return [
    { name: 'ordinal', type: 'bigint' },
    { name: 'id', type: 'text' },
    ...typedColumns(entity).map(({ name, type }) => ({ name, type })),
    { name: 'raw', type: 'jsonb' },
  ];
}

/** Encodes one record as a line of COPY text, in `stagingColumns` order. */
function encodeRecord(entity: Entity, record: PendoRecord, ordinal: number): string {
  const fields = [String(ordinal), escapeCopyText(requireRecordId(entity, record))];
  for (const column of typedColumns(entity)) {
    fields.push(encodeCopyValue(column.read(record), column.type));
  }
  fields.push(escapeCopyText(serializeRaw(record)));
  return `${fields.join('\t')}\n`;
}

/** Yields the batch as COPY text in chunks of about COPY_CHUNK_CHARS characters. */
function* encodeChunks(entity: Entity, records: readonly PendoRecord[]): Generator<string> {
  let lines: string[] = [];
  let length = 0;
  for (let ordinal = 0; ordinal < records.length; ordinal++) {
    const line = encodeRecord(entity, records[ordinal] as PendoRecord, ordinal);
    lines.push(line);
    length += line.length;
    if (length >= COPY_CHUNK_CHARS) {
      yield lines.join('');
      lines = [];
      length = 0;
    }
  }
  if (lines.length > 0) yield lines.join('');
}

/**
 * Creates the temporary staging table (dropped at commit) and copies `records` into it.
 * A record that fails validation destroys the COPY stream, which sends CopyFail, and a value
 * PostgreSQL rejects ends the COPY with an error. Either way the error is thrown here and the
 * caller's transaction is left aborted. Returns the number of rows copied.
 */
export async function stageRecords(
  client: pg.PoolClient,
  entity: Entity,
  records: readonly PendoRecord[],
): Promise<number> {
  const columns = stagingColumns(entity);
  const definitions = columns.map((column) => `${column.name} ${column.type}`).join(', ');
  await client.query(`drop table if exists pg_temp.${STAGING_TABLE}`);
  await client.query(`create temp table ${STAGING_TABLE} (${definitions}) on commit drop`);

  const names = columns.map((column) => column.name).join(', ');
  const copyStream = client.query(copyFrom(`copy ${STAGING_TABLE} (${names}) from stdin`));
  await pipeline(Readable.from(encodeChunks(entity, records)), copyStream);
  return copyStream.rowCount;
}
