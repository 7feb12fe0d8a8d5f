import { appScopeOf } from '../db/events/windows';
import type { Queryable } from '../db/queryable';
import type { EventStream } from '../events/streams';

/** One local day of the subscription's time zone that a stream's windows read. */
export interface CheckedDay {
  /** Local date, `YYYY-MM-DD`. */
  day: string;
  /** Local midnight starting the day, epoch ms. */
  start: number;
  /** Next local midnight, epoch ms (23 or 25 hours after `start` on DST days). */
  end: number;
  /** True when any window of the day was read by the hour, so its rows are hour rows. */
  hourly: boolean;
  /**
   * True when the day is still open: a window of it is not final yet, or its windows do not
   * cover the whole day. Pendo may still change an open day, so a difference there is not drift.
   */
  open: boolean;
}

/** Throws a RangeError naming `timeZone` when it is not an IANA time zone name. */
export function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(
      `Invalid time zone "${timeZone}": expected an IANA name such as America/New_York.`,
    );
  }
}

/**
 * Lists the local days that a stream's windows in sync_event_windows read for one app scope,
 * oldest first. Days are computed by PostgreSQL in `timeZone`, the zone the sync read with.
 */
export async function listCheckedDays(
  db: Queryable,
  stream: EventStream,
  appIds: number[] | 'all',
  timeZone: string,
): Promise<CheckedDay[]> {
  checkTimeZone(timeZone);
  const result = await db.query<{
    day: string;
    day_start: string;
    day_end: string;
    open_windows: string;
    hourly: boolean;
    covered_ms: string;
  }>(
    `with days as (
       select (w.window_start at time zone $2)::date as day,
              count(*) filter (where not w.final) as open_windows,
              bool_or(w.period = 'hour') as hourly,
              sum(extract(epoch from w.window_end - w.window_start) * 1000) as covered_ms
       from sync_event_windows w
       where w.stream = $1 and w.app_scope = $3
       group by 1
     )
     select day::text as day,
            (extract(epoch from day::timestamp at time zone $2) * 1000)::bigint as day_start,
            (extract(epoch from (day + 1)::timestamp at time zone $2) * 1000)::bigint as day_end,
            open_windows, hourly, round(covered_ms)::bigint as covered_ms
     from days order by day`,
    [stream, timeZone, appScopeOf(appIds)],
  );
  return result.rows.map((row) => {
    const start = Number(row.day_start);
    const end = Number(row.day_end);
    const complete = Number(row.covered_ms) >= end - start;
    return {
      day: row.day,
      start,
      end,
      hourly: row.hourly,
      open: Number(row.open_windows) > 0 || !complete,
    };
  });
}
