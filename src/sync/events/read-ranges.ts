import type { EventPeriod, EventStreamSpec } from '../../events/streams';
import { appIdSource } from '../../pendo/filter';

const HOUR_MS = 3_600_000;

/** One request's time range: a whole local day by `dayRange`, or whole hours by `hourRange`. */
export interface ReadRange {
  start: number;
  end: number;
  period: EventPeriod;
}

/** Returns the range's hours, rounded, so a DST day gives 23 or 25. */
function hoursOf(range: ReadRange): number {
  return Math.round((range.end - range.start) / HOUR_MS);
}

/**
 * Builds the aggregation of one range: the stream's source for the apps, with a timeSeries
 * that covers exactly the range (one day, or its hours).
 *
 * NOTE: hour ranges assume local midnight falls on a UTC hour. In zones with a half-hour
 * offset (Asia/Kolkata, for example) Pendo's hour buckets start before the window, and the
 * row checks then reject the rows as outside the window.
 */
export function rangePipeline(
  spec: EventStreamSpec,
  appIds: number[] | 'all',
  range: ReadRange,
): unknown[] {
  const timeSeries =
    range.period === 'day'
      ? { period: 'dayRange', first: range.start, count: 1 }
      : { period: 'hourRange', first: range.start, count: hoursOf(range) };
  return [{ source: { [spec.source]: { appId: appIdSource(appIds) }, timeSeries } }];
}

/**
 * Splits a range that timed out at Pendo into two halves read by the hour, or returns
 * undefined for a single hour, which cannot be split further.
 */
export function splitRange(range: ReadRange): [ReadRange, ReadRange] | undefined {
  const hours = hoursOf(range);
  if (hours <= 1) return undefined;
  const middle = range.start + Math.floor(hours / 2) * HOUR_MS;
  return [
    { start: range.start, end: middle, period: 'hour' },
    { start: middle, end: range.end, period: 'hour' },
  ];
}
