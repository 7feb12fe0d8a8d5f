import type pg from 'pg';
import type { EventStream } from '../events/streams';
import { appScopeOf } from './events/windows';
import { toRunEntityRow } from './runs';
import type { RunEntityDatabaseRow, RunEntityRow } from './runs';

/** State of one event stream's checkpoints, as `pendo-sync status` shows it. */
export interface EventStreamStatus {
  stream: EventStream;
  /** Rows of `sync_event_windows`: windows read at least once for the app scope asked for. */
  windowsRead: number;
  /** Rows Pendo returned for those windows at their latest read. */
  rows: number;
  firstWindowStart: Date | null;
  lastWindowStart: Date | null;
  /** End of the newest window that is final, so never read again. */
  newestFinalWindowEnd: Date | null;
  /** Pendo's clock (its `Date` header) at the latest read. */
  lastPendoTime: Date | null;
  /**
   * Lag in milliseconds: Pendo's time at the latest read minus the end of the newest window
   * that was closed at its read. Null before any closed window.
   */
  lagMs: number | null;
  /** The latest run of this stream, whatever its status. */
  lastRun: RunEntityRow | null;
}

interface WindowSummaryRow {
  stream: EventStream;
  windows: string;
  rows: string;
  first_start: Date;
  last_start: Date;
  final_end: Date | null;
  pendo_time: Date;
  closed_end: Date | null;
}

/**
 * Summarises the windows of one app scope in `sync_event_windows` per stream. A window counts
 * as closed when its end was at least `lagMs` before Pendo's time at its read, which assumes
 * SYNC_EVENT_LAG has not changed.
 */
async function summariseWindows(
  pool: pg.Pool,
  streams: readonly EventStream[],
  lagMs: number,
  appScope: string,
): Promise<Map<EventStream, WindowSummaryRow>> {
  const result = await pool.query<WindowSummaryRow>(
    `select stream,
            count(*) as windows,
            coalesce(sum(rows), 0) as rows,
            min(window_start) as first_start,
            max(window_start) as last_start,
            max(window_end) filter (where final) as final_end,
            max(pendo_time) as pendo_time,
            max(window_end) filter (
              where window_end <= pendo_time - $2::bigint * interval '1 millisecond'
            ) as closed_end
     from sync_event_windows
     where stream = any($1::text[]) and app_scope = $3
     group by stream`,
    [[...streams], lagMs, appScope],
  );
  return new Map(result.rows.map((row) => [row.stream, row]));
}

async function latestStreamRuns(
  pool: pg.Pool,
  streams: readonly EventStream[],
): Promise<Map<string, RunEntityRow>> {
  const result = await pool.query<RunEntityDatabaseRow>(
    `select distinct on (entity) * from sync_status
     where entity = any($1::text[])
     order by entity, started_at desc, id desc`,
    [[...streams]],
  );
  return new Map(result.rows.map((row) => [row.entity, toRunEntityRow(row)]));
}

/**
 * Reads each stream's windows and latest run for `pendo-sync status`. `lagMs` is the
 * current SYNC_EVENT_LAG, which decides which windows count as closed for the lag figure.
 * Only windows read for `appIds` (PENDO_APP_IDS) count: a sync checkpoints each app scope
 * separately, so windows read under another PENDO_APP_IDS do not describe what it reads
 * now. The latest run is the stream's, whatever apps it read.
 */
export async function readEventStreamStatus(
  pool: pg.Pool,
  streams: readonly EventStream[],
  lagMs: number,
  appIds: number[] | 'all',
): Promise<EventStreamStatus[]> {
  if (streams.length === 0) return [];
  const [windows, runs] = await Promise.all([
    summariseWindows(pool, streams, lagMs, appScopeOf(appIds)),
    latestStreamRuns(pool, streams),
  ]);
  return streams.map((stream) => {
    const row = windows.get(stream);
    const closedEnd = row?.closed_end ?? null;
    return {
      stream,
      windowsRead: Number(row?.windows ?? 0),
      rows: Number(row?.rows ?? 0),
      firstWindowStart: row?.first_start ?? null,
      lastWindowStart: row?.last_start ?? null,
      newestFinalWindowEnd: row?.final_end ?? null,
      lastPendoTime: row?.pendo_time ?? null,
      lagMs: row && closedEnd ? row.pendo_time.getTime() - closedEnd.getTime() : null,
      lastRun: runs.get(stream) ?? null,
    };
  });
}
