import type { Queryable } from '../queryable';
import type { EventStream } from '../../events/streams';
import { appScopeOf } from './windows';

/** The windows of one stream and app scope that were read in one time zone. */
export interface WindowZone {
  /** IANA time zone of the windows; null for windows read before the zone was recorded. */
  timeZone: string | null;
  windows: number;
  /** Start of the first window and end of the last one, epoch ms. */
  from: number;
  to: number;
}

/** Returns the time zones that a stream's windows of one app scope were read in, with their spans. */
export async function listWindowZones(
  db: Queryable,
  stream: EventStream,
  appIds: number[] | 'all',
): Promise<WindowZone[]> {
  const result = await db.query<{
    time_zone: string | null;
    windows: string;
    first_start: Date;
    last_end: Date;
  }>(
    `select time_zone, count(*) as windows, min(window_start) as first_start,
            max(window_end) as last_end
     from sync_event_windows where stream = $1 and app_scope = $2
     group by time_zone order by time_zone nulls first`,
    [stream, appScopeOf(appIds)],
  );
  return result.rows.map((row) => ({
    timeZone: row.time_zone,
    windows: Number(row.windows),
    from: row.first_start.getTime(),
    to: row.last_end.getTime(),
  }));
}

/**
 * Condition on a window that its bounds are local midnights of the zone `$3`, one local day
 * apart, so the window covers the same instants as that zone's day.
 */
const ALIGNED_WITH_ZONE = `window_start = ((window_start at time zone $3)::date)::timestamp at time zone $3
       and window_end = ((window_start at time zone $3)::date + 1)::timestamp at time zone $3`;

/**
 * Counts the stream's windows of one app scope whose zone is unknown (null) and which
 * adoptWindowZone would not mark with `timeZone`. It only reads, so verification can call it.
 */
export async function countMisalignedUnknownWindows(
  db: Queryable,
  stream: EventStream,
  appIds: number[] | 'all',
  timeZone: string,
): Promise<number> {
  const result = await db.query<{ windows: string }>(
    `select count(*) as windows from sync_event_windows
     where stream = $1 and app_scope = $2 and time_zone is null
       and not (${ALIGNED_WITH_ZONE})`,
    [stream, appScopeOf(appIds), timeZone],
  );
  return Number(result.rows[0]?.windows ?? 0);
}

/**
 * Records `timeZone` on the stream's windows of one app scope whose zone is unknown (null)
 * and whose bounds are local midnights of `timeZone`, one local day apart. Such a window
 * covers the same instants as the day of `timeZone`, so its rows need no new read. Returns
 * the number of windows updated.
 */
export async function adoptWindowZone(
  db: Queryable,
  stream: EventStream,
  appIds: number[] | 'all',
  timeZone: string,
): Promise<number> {
  const result = await db.query(
    `update sync_event_windows set time_zone = $3
     where stream = $1 and app_scope = $2 and time_zone is null
       and ${ALIGNED_WITH_ZONE}`,
    [stream, appScopeOf(appIds), timeZone],
  );
  return result.rowCount ?? 0;
}
