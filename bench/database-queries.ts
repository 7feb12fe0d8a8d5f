import type pg from 'pg';

/** Counters of the latest `sync_status` row for guides. */
export interface GuideRunRow {
  mode: string;
  status: string;
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  apiCalls: number;
  /** `finished_at - started_at`, in milliseconds. */
  durationMs: number;
  error: string | null;
}

/** Counts of `pendo_guides` rows that a run starting at `since` changed. */
export interface GuideRowChanges {
  /** Rows whose `synced_at` is at or after `since`: inserted, rewritten or marked deleted. */
  written: number;
  /** Rows whose `first_seen_at` is at or after `since`. */
  inserted: number;
  /** Rows whose `deleted_at` is at or after `since`. */
  markedDeleted: number;
  /** Rows not marked deleted. */
  live: number;
}

/** Sizes in bytes. */
export interface DatabaseSizes {
  database: number;
  /** `pendo_guides` with its indexes and TOAST. */
  guidesTable: number;
}

export async function readServerVersion(pool: pg.Pool): Promise<string> {
  const result = await pool.query<{ server_version: string }>('show server_version');
  return result.rows[0]?.server_version ?? 'unknown';
}

export async function readLatestGuideRun(pool: pg.Pool): Promise<GuideRunRow | undefined> {
  const result = await pool.query<Record<string, string | null>>(
    `select mode, status, fetched, inserted, updated, unchanged, deleted, api_calls, error,
            extract(epoch from (finished_at - started_at)) * 1000 as duration_ms
     from sync_status where entity = 'guides' order by id desc limit 1`,
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    mode: row.mode ?? '',
    status: row.status ?? '',
    fetched: Number(row.fetched),
    inserted: Number(row.inserted),
    updated: Number(row.updated),
    unchanged: Number(row.unchanged),
    deleted: Number(row.deleted),
    apiCalls: Number(row.api_calls),
    durationMs: Number(row.duration_ms),
    error: row.error ?? null,
  };
}

export async function readGuideRowChanges(pool: pg.Pool, since: Date): Promise<GuideRowChanges> {
  const result = await pool.query<Record<string, string>>(
    `select count(*) filter (where synced_at >= $1) as written,
            count(*) filter (where first_seen_at >= $1) as inserted,
            count(*) filter (where deleted_at >= $1) as marked_deleted,
            count(*) filter (where deleted_at is null) as live
     from pendo_guides`,
    [since],
  );
  const row = result.rows[0] ?? {};
  return {
    written: Number(row.written ?? 0),
    inserted: Number(row.inserted ?? 0),
    markedDeleted: Number(row.marked_deleted ?? 0),
    live: Number(row.live ?? 0),
  };
}

export async function readDatabaseSizes(pool: pg.Pool): Promise<DatabaseSizes> {
  const result = await pool.query<{ database: string; guides: string | null }>(
    `select pg_database_size(current_database()) as database,
            pg_total_relation_size(to_regclass('pendo_guides')) as guides`,
  );
  const row = result.rows[0];
  return { database: Number(row?.database ?? 0), guidesTable: Number(row?.guides ?? 0) };
}
