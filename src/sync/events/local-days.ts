/**
 * Local days of an IANA time zone, from the zone rules that Intl carries. Days start at local
 * midnight and last 23 or 25 hours across daylight-saving changes.
 */

const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Returns the wall-clock time at instant `ms` in the zone, written as if it were UTC ms. */
function wallClock(timeZone: string, ms: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return (
    Date.UTC(
      fields.year ?? 1970,
      (fields.month ?? 1) - 1,
      fields.day ?? 1,
      fields.hour ?? 0,
      fields.minute ?? 0,
      fields.second ?? 0,
    ) +
    (((ms % 1000) + 1000) % 1000)
  );
}

/**
 * Returns the instant of local midnight that starts the calendar date (`month` 1-12) in the
 * zone. The offset is settled by trying it at the first guess and at the corrected instant.
 *
 * NOTE: in the few zones whose clocks skip midnight itself on a daylight-saving day, that
 * day has no local midnight and this returns the instant one hour later.
 */
export function localMidnight(timeZone: string, year: number, month: number, day: number): number {
  const wall = Date.UTC(year, month - 1, day);
  let instant = wall - (wallClock(timeZone, wall) - wall);
  for (let step = 0; step < 2; step++) {
    const corrected = wall - (wallClock(timeZone, instant) - instant);
    if (corrected === instant) break;
    instant = corrected;
  }
  return instant;
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
