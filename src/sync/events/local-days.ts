/**
 * Local days of an IANA time zone, from the zone rules that Intl carries. Days start at local
 * midnight and last 23 or 25 hours across daylight-saving changes.
 */

import { wallTimeToInstant, zoneOffset } from '../../time-zone';

const HOUR_MS = 3_600_000;

/** Returns the wall-clock time at instant `ms` in the zone, written as if it were UTC ms. */
function wallClock(timeZone: string, ms: number): number {
  return ms + zoneOffset(timeZone, ms);
}

/**
 * Returns the instant of local midnight that starts the calendar date (`month` 1-12) in the
 * zone.
 *
 * NOTE: in the few zones whose clocks skip midnight itself on a daylight-saving day, that
 * day has no local midnight and this returns the instant one hour later.
 */
export function localMidnight(timeZone: string, year: number, month: number, day: number): number {
  return wallTimeToInstant(timeZone, Date.UTC(year, month - 1, day));
}

/** Returns the start of the local day that contains `ms`. */
export function startOfLocalDay(timeZone: string, ms: number): number {
  const date = new Date(wallClock(timeZone, ms));
  const start = localMidnight(
    timeZone,
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
  );
  return start > ms ? startOfLocalDay(timeZone, start - HOUR_MS) : start;
}

/** Returns the start of the local day after the one that contains `ms`. */
export function nextLocalDay(timeZone: string, ms: number): number {
  const date = new Date(wallClock(timeZone, startOfLocalDay(timeZone, ms)));
  return localMidnight(
    timeZone,
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate() + 1,
  );
}

/** Returns the local date of instant `ms` as `YYYY-MM-DD`. */
export function localDate(timeZone: string, ms: number): string {
  return new Date(wallClock(timeZone, ms)).toISOString().slice(0, 10);
}
