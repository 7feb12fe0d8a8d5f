import { DAY_MS, checkTimeZone, startOfLocalDay } from './time-zone';

/** Options of the simulated people (visitors, accounts) and their activity. */
export interface ActivityOptions {
  /** IANA time zone of the subscription; day buckets start at its midnight. Default America/New_York. */
  timeZone?: string;
  /** Event rows per day across all event sources and apps; default 2000. */
  eventsPerDay?: number;
  /** First instant with events (snapped to local midnight); default 30 days before `startTime`. */
  eventsStart?: number | string;
  /** How long after it happens an event becomes visible, in simulated milliseconds; default 0. */
  eventLagMs?: number;
  /** Size cap: aggregations over more source rows or days than this fail with 408. */
  aggregationLimits?: AggregationLimits;
}

export interface AggregationLimits {
  /** Largest number of event rows a timeSeries window may hold before filters. */
  maxRows?: number;
  /** Largest timeSeries window, in days. */
  maxDays?: number;
}

/** Activity options with defaults filled in. */
export interface ResolvedActivityOptions {
  visitors: number;
  accounts: number;
  timeZone: string;
  eventsPerDay: number;
  eventsStart: number;
  eventLagMs: number;
  maxRows: number;
  maxDays: number;
}

export const DEFAULT_VISITORS = 500;
export const DEFAULT_ACCOUNTS = 60;
export const DEFAULT_TIME_ZONE = 'America/New_York';
export const DEFAULT_EVENTS_PER_DAY = 2000;
const DEFAULT_HISTORY_DAYS = 30;

/** Size keys of people, as `sizes` may name them. */
export const PERSON_SIZE_KEYS: Record<string, 'visitors' | 'accounts'> = {
  visitors: 'visitors',
  visitor: 'visitors',
  accounts: 'accounts',
  account: 'accounts',
};

function count(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${option} must be a non-negative integer, got ${value}`);
  return value;
}

function limit(value: number | undefined, option: string): number {
  if (value === undefined) return Infinity;
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${option} must be a positive number, got ${value}`);
  return value;
}

function instant(value: number | string | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new RangeError(`${option} must be epoch milliseconds or an ISO date, got ${value}`);
  return ms;
}

/** Fills in defaults and validates; throws RangeError naming the option at fault. */
export function resolveActivityOptions(
  options: ActivityOptions,
  sizes: Partial<Record<string, number>>,
  startTime: number,
): ResolvedActivityOptions {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  checkTimeZone(timeZone);
  const personSizes: Record<string, number | undefined> = {};
  for (const [key, value] of Object.entries(sizes)) {
    const entity = PERSON_SIZE_KEYS[key];
    if (entity) personSizes[entity] = value;
  }
  const defaultStart = startTime - DEFAULT_HISTORY_DAYS * DAY_MS;
  const eventsStart = instant(options.eventsStart, defaultStart, 'eventsStart');
  const lag = options.eventLagMs ?? 0;
  if (!Number.isFinite(lag) || lag < 0)
    throw new RangeError(`eventLagMs must be a non-negative number, got ${lag}`);
  return {
    visitors: count(personSizes.visitors, DEFAULT_VISITORS, 'sizes.visitors'),
    accounts: count(personSizes.accounts, DEFAULT_ACCOUNTS, 'sizes.accounts'),
    timeZone,
    eventsPerDay: count(options.eventsPerDay, DEFAULT_EVENTS_PER_DAY, 'eventsPerDay'),
    eventsStart: startOfLocalDay(timeZone, eventsStart),
    eventLagMs: lag,
    maxRows: limit(options.aggregationLimits?.maxRows, 'aggregationLimits.maxRows'),
    maxDays: limit(options.aggregationLimits?.maxDays, 'aggregationLimits.maxDays'),
  };
}
