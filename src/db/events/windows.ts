import type { Queryable } from '../queryable';
import type { EventPeriod, EventStream } from '../../events/streams';

/** One row of `sync_event_windows`: a window a stream has read, keyed by stream, apps and start. */
export interface StoredWindow {
  start: number;
  end: number;
  /** `hour` when any part of the window was read by the hour. */
  period: EventPeriod;
  /** Rows Pendo returned at the latest read. */
  rows: number;
  /** Read after its lookback had passed, so it is not read again. */
  final: boolean;
  /** Pendo's time when the window was read, epoch ms. */
  pendoTime: number;
}

/** Returns the `app_scope` key of a set of apps: `*` for every app, else sorted ids joined by commas. */
export function appScopeOf(appIds: number[] | 'all'): string {
  return appIds === 'all' ? '*' : [...new Set(appIds)].sort((a, b) => a - b).join(',');
}

interface WindowRow {
  window_start: Date;
  window_end: Date;
  period: EventPeriod;
  rows: string;
  final: boolean;
  pendo_time: Date;
}

/** Returns the stored windows of a stream and app scope, oldest first. */
export async function loadWindows(
  db: Queryable,
  stream: EventStream,
  appIds: number[] | 'all',
): Promise<StoredWindow[]> {
  const result = await db.query<WindowRow>(
    `select window_start, window_end, period, rows, final, pendo_time
     from sync_event_windows where stream = $1 and app_scope = $2
     order by window_start`,
    [stream, appScopeOf(appIds)],
  );
  return result.rows.map((row) => ({
    start: row.window_start.getTime(),
    end: row.window_end.getTime(),
    period: row.period,
    rows: Number(row.rows),
    final: row.final,
    pendoTime: row.pendo_time.getTime(),
  }));
}

/**
 * Inserts or replaces the row of one window read by run `runId`, with `timeZone`, the IANA
 * time zone whose local day the window is.
 */
export async function saveWindow(
  db: Queryable,
  key: { stream: EventStream; appIds: number[] | 'all'; runId: string; timeZone: string },
  window: StoredWindow,
): Promise<void> {
  await db.query(
    `insert into sync_event_windows
       (stream, app_scope, window_start, window_end, period, rows, final, read_at, pendo_time,
        run_id, time_zone)
     values ($1, $2, $3, $4, $5, $6, $7, now(), $8, $9, $10)
     on conflict (stream, app_scope, window_start) do update set
       window_end = excluded.window_end, period = excluded.period, rows = excluded.rows,
       final = excluded.final, read_at = excluded.read_at, pendo_time = excluded.pendo_time,
       run_id = excluded.run_id, time_zone = excluded.time_zone`,
    [
      key.stream,
      appScopeOf(key.appIds),
      new Date(window.start),
      new Date(window.end),
      window.period,
      window.rows,
      window.final,
      new Date(window.pendoTime),
      key.runId,
      key.timeZone,
    ],
  );
}

/** Deletes a stream's window rows (every app scope) that start before `cutoff`; returns how many. */
export async function deleteWindowsBefore(
  db: Queryable,
  stream: EventStream,
  cutoff: number,
): Promise<number> {
  const result = await db.query(
    'delete from sync_event_windows where stream = $1 and window_start < $2',
    [stream, new Date(cutoff)],
  );
  return result.rowCount ?? 0;
}
