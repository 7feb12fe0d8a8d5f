import type pg from 'pg';
import type { Entity, Cursor, RunStatus, SyncMode } from '../types';
import { isRetryableDatabaseError, PendoSyncError } from '../errors';
import { redactSecrets } from '../log';

/** Maximum length of `sync_status.error`, in characters. */
export const MAX_ERROR_LENGTH = 4000;

/** Message stored on runs that were still `running` when a new sync started. */
export const ABANDONED_RUN_ERROR = 'the sync process ended before this run finished';

/** Counters of one run entity; each maps to the `sync_status` column of the same meaning. */
export interface RunCounts {
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  undeleted: number;
  apiCalls: number;
}

/** One row of the run log. */
export interface RunEntityRow {
  id: number;
  runId: string;
  entity: Entity;
  mode: SyncMode;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  counts: RunCounts;
  error: string | null;
  cursor: Cursor | null;
}

/** Columns of `sync_status` for each counter; fixed identifiers, never taken from input. */
const COUNT_COLUMNS: Readonly<Record<keyof RunCounts, string>> = {
  fetched: 'fetched',
  inserted: 'inserted',
  updated: 'updated',
  unchanged: 'unchanged',
  deleted: 'deleted',
  undeleted: 'undeleted',
  apiCalls: 'api_calls',
};

const COUNT_KEYS = Object.keys(COUNT_COLUMNS) as (keyof RunCounts)[];

/** Inserts a `running` row for one entity of a run and returns its id. */
export async function startRunEntity(
  pool: pg.Pool,
  run: { runId: string; entity: Entity; mode: SyncMode },
): Promise<number> {
  const result = await pool.query<{ id: string }>(
    `insert into sync_status (run_id, entity, mode, status)
     values ($1, $2, $3, 'running') returning id`,
    [run.runId, run.entity, run.mode],
  );
  return Number(result.rows[0]?.id);
}

/** Builds `column = $n` assignments for the given counters, starting at parameter `firstIndex`. */
function countAssignments(
  counts: Partial<RunCounts>,
  firstIndex: number,
): { sql: string[]; values: number[] } {
  const sql: string[] = [];
  const values: number[] = [];
  for (const key of COUNT_KEYS) {
    const value = counts[key];
    if (value === undefined) continue;
    sql.push(`${COUNT_COLUMNS[key]} = $${firstIndex + values.length}`);
    values.push(value);
  }
  return { sql, values };
}

/** Stores the current counters of a running entity, so `status` shows live progress. */
export async function updateRunProgress(
  pool: pg.Pool,
  id: number,
  counts: Partial<RunCounts>,
): Promise<void> {
  const assignments = countAssignments(counts, 2);
  if (assignments.sql.length === 0) return;
  await pool.query(
    `update sync_status set ${assignments.sql.join(', ')} where id = $1 and status = 'running'`,
    [id, ...assignments.values],
  );
}

/** Prefix of a stored error whose cause is a lost database connection. */
const CONNECTION_LOST_PREFIX = 'the database connection was lost: ';

/**
 * True for an error of a lost database connection or a restarting server. Pendo's network
 * errors arrive wrapped in PendoSyncError, so they are never mistaken for one.
 */
function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof PendoSyncError) return false;
  const code = (error as { code?: unknown }).code;
  if (code === '40001' || code === '40P01') return false;
  return isRetryableDatabaseError(error);
}

/**
 * Returns the message of an error as stored: prefixed with `the database connection was
 * lost: ` when the connection failed, secrets replaced and at most MAX_ERROR_LENGTH characters.
 */
export function formatRunError(error: unknown): string {
  let text = error instanceof Error ? error.message : String(error);
  if (isConnectionLoss(error) && !text.startsWith(CONNECTION_LOST_PREFIX)) {
    text = `${CONNECTION_LOST_PREFIX}${text}`;
  }
  const redacted = redactSecrets(text);
  return redacted.length > MAX_ERROR_LENGTH
    ? `${redacted.slice(0, MAX_ERROR_LENGTH - 1)}…`
    : redacted;
}

/** Ends a run entity with its final status, counters, error (if any) and the cursor reached. */
export async function finishRunEntity(
  pool: pg.Pool,
  id: number,
  outcome: {
    status: Exclude<RunStatus, 'running'>;
    counts: Partial<RunCounts>;
    error?: unknown;
    cursor?: Cursor | null;
  },
): Promise<void> {
  if (!['completed', 'partial', 'failed'].includes(outcome.status)) {
    throw new TypeError(`Invalid final run status: ${JSON.stringify(outcome.status)}`);
  }
  const assignments = countAssignments(outcome.counts, 5);
  const sets = [
    'status = $2',
    'finished_at = now()',
    'error = $3',
    'cursor = $4',
    ...assignments.sql,
  ];
  const error =
    outcome.error === undefined || outcome.error === null ? null : formatRunError(outcome.error);
  const cursor = outcome.cursor ? JSON.stringify(outcome.cursor) : null;
  await pool.query(`update sync_status set ${sets.join(', ')} where id = $1`, [
    id,
    outcome.status,
    error,
    cursor,
    ...assignments.values,
  ]);
}

/**
 * Marks every run entity still `running` as failed. Call it only while holding the sync lock:
 * then no live process owns such a row. Returns the number of rows marked.
 */
export async function failAbandonedRuns(pool: pg.Pool): Promise<number> {
  const result = await pool.query(
    `update sync_status set status = 'failed', finished_at = now(), error = $1
     where status = 'running'`,
    [ABANDONED_RUN_ERROR],
  );
  return result.rowCount ?? 0;
}

export interface RunEntityDatabaseRow {
  id: string;
  run_id: string;
  entity: Entity;
  mode: SyncMode;
  status: RunStatus;
  started_at: Date;
  finished_at: Date | null;
  fetched: string;
  inserted: string;
  updated: string;
  unchanged: string;
  deleted: string;
  undeleted: string;
  api_calls: string;
  error: string | null;
  cursor: Cursor | null;
}

/** Converts a `sync_status` row (bigint columns arrive as strings) to a RunEntityRow. */
export function toRunEntityRow(row: RunEntityDatabaseRow): RunEntityRow {
  const counts = {} as RunCounts;
  for (const key of COUNT_KEYS) {
    counts[key] = Number(row[COUNT_COLUMNS[key] as keyof RunEntityDatabaseRow]);
  }
  return {
    id: Number(row.id),
    runId: row.run_id,
    entity: row.entity,
    mode: row.mode,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts,
    error: row.error,
    cursor: row.cursor,
  };
}

/** Returns the latest `limit` run entities, newest first. */
export async function recentRuns(pool: pg.Pool, limit = 20): Promise<RunEntityRow[]> {
  const result = await pool.query<RunEntityDatabaseRow>(
    'select * from sync_status order by started_at desc, id desc limit $1',
    [Math.max(1, Math.floor(limit))],
  );
  return result.rows.map(toRunEntityRow);
}
