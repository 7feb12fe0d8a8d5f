import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PendoRecord } from '../../types';
import { escapeCopyText } from '../copy-text';
import { serializeRaw } from '../rows';

/**
 * Session-level staging table of one event window: each row's JSON and the md5 of its jsonb
 * text. It lives on one connection from the first COPY of a window to the window's commit.
 */
export const EVENT_STAGE_TABLE = 'pendo_sync_event_stage';

/** Rows are joined into chunks of about this many characters per COPY write. */
const COPY_CHUNK_CHARS = 64 * 1024;

/**
 * Creates the staging table on `client` when missing and empties it. `raw::text` is the jsonb
 * form, whose key order and spacing are fixed, so equal rows get equal hashes however Pendo
 * ordered their keys.
 */
export async function resetEventStage(client: pg.PoolClient): Promise<void> {
  await client.query(
    `create temp table if not exists ${EVENT_STAGE_TABLE} (
       raw jsonb not null,
       row_hash uuid not null generated always as (md5(raw::text)::uuid) stored
     )`,
  );
  await client.query(`truncate pg_temp.${EVENT_STAGE_TABLE}`);
}

/** Drops the staging table, so the connection goes back to the pool without it. */
export async function dropEventStage(client: pg.PoolClient): Promise<void> {
  await client.query(`drop table if exists pg_temp.${EVENT_STAGE_TABLE}`);
}

async function* encodeChunks(
  first: PendoRecord,
  rest: AsyncIterator<PendoRecord>,
): AsyncGenerator<string> {
  let lines: string[] = [];
  let length = 0;
  for (let row = first; ;) {
    const line = `${escapeCopyText(serializeRaw(row))}\n`;
    lines.push(line);
    length += line.length;
    if (length >= COPY_CHUNK_CHARS) {
      yield lines.join('');
      lines = [];
      length = 0;
    }
    const next = await rest.next();
    if (next.done) break;
    row = next.value;
  }
  if (lines.length > 0) yield lines.join('');
}

/** True when the client had lost its connection before the COPY was sent. */
function isUnqueryable(error: unknown): boolean {
  return error instanceof Error && /not queryable/.test(error.message);
}

/**
 * Ends `iterator` early so that its `finally` blocks run, and does nothing when it has
 * finished. An error it throws then is dropped, because the caller is already done.
 */
async function closeRows(iterator: AsyncIterator<PendoRecord>): Promise<void> {
  await iterator.return?.().catch(() => undefined);
}

/** Resolves once the COPY stream has closed, which follows PostgreSQL's reply to a CopyFail. */
function closedOf(stream: NodeJS.WritableStream & { closed?: boolean }): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => stream.once('close', () => resolve()));
}

/**
 * Copies `rows` into the staging table as they arrive, with one COPY statement. The COPY
 * opens only once the first row arrives, so a request that fails before its body (a 408,
 * for example) sends nothing to PostgreSQL. When `rows` throws later, the COPY is cancelled
 * and none of its rows stay staged, while rows staged by earlier calls stay. The error is
 * rethrown once the connection is free for the next statement. Returns the number of rows copied.
 */
export async function copyEventRows(
  client: pg.PoolClient,
  rows: AsyncIterable<PendoRecord>,
): Promise<number> {
  const iterator = rows[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return 0;
  // A lost connection sends no reply to the CopyFail and the stream never closes, so the wait
  // below also ends when the connection does.
  let onEnd = (): void => undefined;
  const ended = new Promise<void>((resolve) => {
    onEnd = resolve;
  });
  client.once('end', onEnd);
  const copyStream = client.query(copyFrom(`copy pg_temp.${EVENT_STAGE_TABLE} (raw) from stdin`));
  try {
    await pipeline(Readable.from(encodeChunks(first.value, iterator)), copyStream);
  } catch (error) {
    if (!isUnqueryable(error)) await Promise.race([closedOf(copyStream), ended]);
    throw error;
  } finally {
    client.off('end', onEnd);
    // A failed COPY leaves `rows` open, and with it the Pendo response and its request slot.
    // Once every slot is taken that way, each later request waits forever.
    await closeRows(iterator);
  }
  return copyStream.rowCount;
}
