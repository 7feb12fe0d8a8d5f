import type pg from 'pg';
import { EVENT_STREAMS, EVENT_STREAM_SPECS } from '../../src/events/streams';
import type { EventStream } from '../../src/events/streams';

/** One stream after the backfill: rows stored and what its latest run recorded. */
export interface StreamOutcome {
  stream: EventStream;
  rows: number;
  /** Bytes of the stream's partitions with their indexes and TOAST. */
  bytes: number;
  status: string;
  fetched: number;
  inserted: number;
  apiCalls: number;
  windows: number;
}

export async function readDatabaseBytes(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ bytes: string }>(
    'select pg_database_size(current_database()) as bytes',
  );
  return Number(result.rows[0]?.bytes ?? 0);
}

async function readStream(pool: pg.Pool, stream: EventStream): Promise<StreamOutcome> {
  // Table names come from the fixed stream specs.
  const { table } = EVENT_STREAM_SPECS[stream];
  const rows = await pool.query<{ rows: string }>(`select count(*) as rows from ${table}`);
  const bytes = await pool.query<{ bytes: string | null }>(
    `select sum(pg_total_relation_size(inhrelid)) as bytes from pg_inherits
     where inhparent = $1::regclass`,
    [table],
  );
  const run = await pool.query<Record<string, string | null>>(
    `select status, fetched, inserted, api_calls from sync_status
     where entity = $1 order by id desc limit 1`,
    [stream],
  );
  const windows = await pool.query<{ windows: string }>(
    'select count(*) as windows from sync_event_windows where stream = $1',
    [stream],
  );
  const last = run.rows[0];
  return {
    stream,
    rows: Number(rows.rows[0]?.rows ?? 0),
    bytes: Number(bytes.rows[0]?.bytes ?? 0),
    status: last?.status ?? 'no run',
    fetched: Number(last?.fetched ?? 0),
    inserted: Number(last?.inserted ?? 0),
    apiCalls: Number(last?.api_calls ?? 0),
    windows: Number(windows.rows[0]?.windows ?? 0),
  };
}

/** Reads every stream's row count, size and latest run. */
export async function readStreamOutcomes(pool: pg.Pool): Promise<StreamOutcome[]> {
  const outcomes: StreamOutcome[] = [];
  for (const stream of EVENT_STREAMS) outcomes.push(await readStream(pool, stream));
  return outcomes;
}
