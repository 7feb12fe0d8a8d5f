import { compile } from '../aggregation/expression';
import { ExpressionSyntaxError } from '../aggregation/filter-lexer';
import { SimulatorHttpError } from '../errors';
import type { Bucket } from './events/event-context';
import {
  HOUR_MS,
  nextLocalDay,
  previousLocalDay,
  startOfHour,
  startOfLocalDay,
  wallTimeToInstant,
} from './time-zone';

/** Most buckets one timeSeries may span after clamping to the data: about 2.3 years of hours. */
export const MAX_BUCKETS = 20_000;

/** A parsed `timeSeries`: the bucket period and the bucket starts the client asked for. */
export interface TimeSeries {
  period: 'day' | 'hour';
  /** Start of the first requested bucket (`first`, snapped down). */
  start: number;
  /** End of the last requested bucket, exclusive. */
  end: number;
}

function invalid(message: string): SimulatorHttpError {
  return new SimulatorHttpError(422, `timeSeries: ${message}`);
}

/**
 * Replaces `date(Y, M, D[, h, m, s])` calls with the instant of that wall-clock time in the
 * subscription's zone. Pendo reads dates in the subscription time zone, while the shared
 * expression evaluator reads them as UTC, so they are resolved here first.
 */
function resolveDates(text: string, timeZone: string): string {
  return text.replace(/date\(\s*([\d\s,]+?)\s*\)/g, (call, args: string) => {
    const parts = args.split(',').map((part) => Number(part.trim()));
    if (parts.length < 3 || parts.length > 6 || parts.some((part) => !Number.isInteger(part)))
      return call;
    const [year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0] = parts;
    return String(
      wallTimeToInstant(timeZone, Date.UTC(year, month - 1, day, hour, minute, second)),
    );
  });
}

/** Evaluates `first` or `last`: a number, a numeric string or an expression such as `now() - 86400000`. */
export function evaluateTime(value: unknown, field: string, now: number, timeZone: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') throw invalid(`${field} must be a number or an expression`);
  if (/^\s*-?\d+\s*$/.test(value)) return Number(value);
  let result: unknown;
  try {
    result = compile(resolveDates(value, timeZone))({}, { now });
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) throw invalid(`${field} "${value}" does not parse`);
    throw error;
  }
  if (typeof result !== 'number' || !Number.isFinite(result)) {
    throw invalid(`${field} "${value}" does not evaluate to a time`);
  }
  return Math.floor(result);
}

/** Bucket arithmetic of one period. */
export interface PeriodSteps {
  snap: (ms: number) => number;
  next: (start: number) => number;
  previous: (start: number) => number;
}

export function periodSteps(period: 'day' | 'hour', timeZone: string): PeriodSteps {
  if (period === 'hour') {
    return { snap: startOfHour, next: (s) => s + HOUR_MS, previous: (s) => s - HOUR_MS };
  }
  return {
    snap: (ms) => startOfLocalDay(timeZone, ms),
    next: (s) => nextLocalDay(timeZone, s),
    previous: (s) => previousLocalDay(timeZone, s),
  };
}

function parsePeriod(value: unknown): 'day' | 'hour' {
  if (value === 'dayRange') return 'day';
  if (value === 'hourRange') return 'hour';
  throw invalid(`period must be "dayRange" or "hourRange", got ${JSON.stringify(value)}`);
}

/** Walks `count` buckets from `start` (backwards when negative), bounded by MAX_BUCKETS. */
function walk(steps: PeriodSteps, start: number, count: number): number {
  if (Math.abs(count) > MAX_BUCKETS) throw invalid(`count must be at most ${MAX_BUCKETS} buckets`);
  let edge = start;
  for (let i = 0; i < Math.abs(count); i++)
    edge = count > 0 ? steps.next(edge) : steps.previous(edge);
  return edge;
}

/**
 * Parses a source's `timeSeries`. `first` snaps down to its bucket. A positive `count` spans
 * that many buckets from there, a negative one the buckets before it, so `{first: "now()",
 * count: -1}` is the previous period. With `last`, the window runs to the end of the bucket
 * containing `last`.
 */
export function parseTimeSeries(spec: unknown, now: number, timeZone: string): TimeSeries {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw invalid(
      'must be an object such as {"period": "dayRange", "first": "now()", "count": -1}',
    );
  }
  const { period: periodValue, first, count, last } = spec as Record<string, unknown>;
  const period = parsePeriod(periodValue);
  const steps = periodSteps(period, timeZone);
  const start = steps.snap(evaluateTime(first, 'first', now, timeZone));
  if (count !== undefined && last !== undefined)
    throw invalid('give either count or last, not both');
  if (count !== undefined) {
    if (typeof count !== 'number' || !Number.isInteger(count) || count === 0) {
      throw invalid('count must be a non-zero integer');
    }
    const edge = walk(steps, start, count);
    return count > 0 ? { period, start, end: edge } : { period, start: edge, end: start };
  }
  if (last === undefined) throw invalid('count or last is required');
  // NOTE: the real API's treatment of a `last` on a bucket boundary is undocumented; here
  // the bucket containing `last` is included, so first == last selects one bucket.
  const lastBucket = steps.snap(evaluateTime(last, 'last', now, timeZone));
  return { period, start, end: lastBucket < start ? start : steps.next(lastBucket) };
}

/**
 * Lists the buckets of a time series that can hold data: those from `dataStart` up to the
 * bucket containing `now`. Throws 422 when more than MAX_BUCKETS remain.
 */
export function listBuckets(
  series: TimeSeries,
  dataStart: number,
  now: number,
  timeZone: string,
): Bucket[] {
  const steps = periodSteps(series.period, timeZone);
  const buckets: Bucket[] = [];
  let start = series.start;
  if (start < dataStart) start = Math.max(start, steps.snap(dataStart));
  const end = Math.min(series.end, steps.next(steps.snap(now)));
  while (start < end) {
    if (buckets.length >= MAX_BUCKETS)
      throw invalid(`the window spans more than ${MAX_BUCKETS} buckets`);
    const next = steps.next(start);
    buckets.push({ period: series.period, start, end: next });
    start = next;
  }
  return buckets;
}
