import { ConfigError } from '../errors';
import { EVENT_STREAMS, isEventStream } from '../events/streams';
import type { EventStream } from '../events/streams';
import { ENTITIES } from '../types';
import { isDurationText, parseDuration } from './durations';

/**
 * First instant of the event backfill, as `SYNC_EVENTS_SINCE` or `--since` gives it. A `date`
 * starts at midnight of the subscription's time zone. A `before-now` duration counts back from
 * Pendo's current time, which only the sync engine reads.
 */
export type EventsSince =
  | { kind: 'date'; year: number; month: number; day: number }
  | { kind: 'instant'; ms: number }
  | { kind: 'before-now'; ms: number };

/** Time zone of a real subscription when `PENDO_TIME_ZONE` is not set. */
export const DEFAULT_PENDO_TIME_ZONE = 'UTC';

/** Names a value in an error: `SYNC_STREAMS="x"` for a variable, `--streams "x"` for a flag. */
function describeValue(name: string, value: string): string {
  return name.startsWith('--')
    ? `${name} ${JSON.stringify(value)}`
    : `${name}=${JSON.stringify(value)}`;
}

const STREAM_LIST_HINT = `use stream names separated by commas (${EVENT_STREAMS.join(', ')}), "all" or "none"`;

/**
 * Parses a stream list such as `page_events,events`, `all` or `none` into stream names in the
 * order a run starts them. `name` is the variable or flag the list came from.
 */
export function parseStreamList(value: string, name: string): EventStream[] {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === 'all' || trimmed === '*') return [...EVENT_STREAMS];
  if (trimmed === 'none') return [];
  const names = trimmed
    .split(',')
    .map((part) => part.trim().replace(/-/g, '_'))
    .filter(Boolean);
  if (names.length === 0) {
    throw new ConfigError(`Invalid ${describeValue(name, value)}: ${STREAM_LIST_HINT}.`);
  }
  for (const stream of names) {
    if (isEventStream(stream)) continue;
    const hint = (ENTITIES as readonly string[]).includes(stream)
      ? ` ${stream} is an entity, which --entities selects.`
      : '';
    throw new ConfigError(
      `Unknown stream ${JSON.stringify(stream)} in ${name}: ${STREAM_LIST_HINT}.${hint}`,
    );
  }
  return EVENT_STREAMS.filter((stream) => names.includes(stream));
}

function parseCalendarDate(text: string, name: string): EventsSince {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new ConfigError(
      `Invalid ${describeValue(name, text)}: invalid calendar date. Expected a date such as 2026-10-01.`,
    );
  }
  return { kind: 'date', year, month, day };
}

/**
 * Parses `SYNC_EVENTS_SINCE` or `--since`: a date (`2026-10-01`, midnight of the subscription's
 * time zone), a time with its offset (`2026-10-01T06:00:00Z`), or a duration before Pendo's
 * current time (`30d`, `12h`). A bare number is rejected, because its unit would be a guess.
 */
export function parseEventsSince(value: string, name: string): EventsSince {
  const text = value.trim();
  const expected = `expected a date such as 2026-10-01, a time with its offset such as 2026-10-01T06:00:00Z, or a duration before Pendo's current time such as 30d`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return parseCalendarDate(text, name);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !Number.isFinite(ms)) {
      throw new ConfigError(
        `Invalid ${describeValue(name, value)}: a time needs its offset (Z or +02:00, for example) so that it names one instant; ${expected}.`,
      );
    }
    return { kind: 'instant', ms };
  }
  if (isDurationText(text)) {
    if (/^[\d.\s]+$/.test(text)) {
      throw new ConfigError(
        `Invalid ${describeValue(name, value)}: a duration needs a unit, such as 30d or 12h.`,
      );
    }
    return { kind: 'before-now', ms: parseDuration(text, name) };
  }
  throw new ConfigError(`Invalid ${describeValue(name, value)}: ${expected}.`);
}

/**
 * Checks an IANA time zone name with Intl and returns its canonical spelling (`utc` becomes
 * `UTC`). `name` is the variable the value came from.
 */
export function parseTimeZone(value: string, name: string): string {
  const text = value.trim();
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    throw new ConfigError(
      `Invalid ${describeValue(name, value)}: expected an IANA time zone name such as UTC, America/New_York or Europe/Paris, the zone set in the Pendo subscription's settings.`,
    );
  }
}
