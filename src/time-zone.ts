/**
 * Local days of the subscription's time zone, computed with Intl.DateTimeFormat so that
 * daylight-saving changes give 23- and 25-hour days exactly as the zone's rules define them.
 */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
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

/** Throws a RangeError naming `timeZone` unless Intl supports it. */
export function checkTimeZone(timeZone: string): void {
  try {
    formatterFor(timeZone);
  } catch {
    throw new RangeError(
      `timeZone must be an IANA time zone such as "America/New_York", got ${timeZone}`,
    );
  }
}

/** Returns the zone's offset from UTC at instant `ms`, in milliseconds (negative west of UTC). */
export function zoneOffset(timeZone: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * Converts a wall-clock time of the zone, given as if it were UTC milliseconds, to an instant.
 * Two corrections settle the offset on either side of a daylight-saving change.
 */
export function wallTimeToInstant(timeZone: string, wallMs: number): number {
  let instant = wallMs - zoneOffset(timeZone, wallMs);
  for (let i = 0; i < 2; i++) {
    const corrected = wallMs - zoneOffset(timeZone, instant);
    if (corrected === instant) break;
    instant = corrected;
  }
  return instant;
}

/** Returns the instant of local midnight that starts the day containing `ms`. */
export function startOfLocalDay(timeZone: string, ms: number): number {
  const wall = ms + zoneOffset(timeZone, ms);
  const start = wallTimeToInstant(timeZone, Math.floor(wall / DAY_MS) * DAY_MS);
  // A midnight moved by a daylight-saving change can land after `ms`; step back a day then.
  return start > ms ? startOfLocalDay(timeZone, start - 1) : start;
}

/** Returns the start of the local day after the one starting at `dayStart`. */
export function nextLocalDay(timeZone: string, dayStart: number): number {
  // Days last 23 to 25 hours, so 30 hours later is always inside the next day.
  return startOfLocalDay(timeZone, dayStart + 30 * HOUR_MS);
}

/** Returns the start of the local day before the one starting at `dayStart`. */
export function previousLocalDay(timeZone: string, dayStart: number): number {
  return startOfLocalDay(timeZone, dayStart - 1);
}

/** Returns the top of the hour at or before `ms`. */
export function startOfHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}
