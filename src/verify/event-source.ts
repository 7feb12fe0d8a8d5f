import type { EventStreamSpec } from '../events/streams';
import { appIdSource } from '../pendo/filter';
import type { CheckedDay } from './event-days';

const HOUR_MS = 3_600_000;

/**
 * Builds the source stage of an event aggregation: the stream's source for the given apps
 * and `count` buckets of `period` starting at `first` (epoch ms, which Pendo snaps down to
 * the start of its bucket).
 */
export function eventSourceStage(
  spec: EventStreamSpec,
  appIds: number[] | 'all',
  period: 'day' | 'hour',
  first: number,
  count: number,
): Record<string, unknown> {
  return {
    source: {
      [spec.source]: { appId: appIdSource(appIds) },
      timeSeries: { period: period === 'day' ? 'dayRange' : 'hourRange', first, count },
    },
  };
}

/** Returns the field that places a row in time: `day` or `hour`, or `browserTime`. */
export function timeFieldOf(spec: EventStreamSpec, period: 'day' | 'hour'): string {
  return spec.kind === 'interaction' ? 'browserTime' : period;
}

/**
 * Returns the first stages of a request for the rows of one local day, or of the hour
 * buckets of that day from `first` (epoch ms) to `last` (exclusive). Day rows are read with
 * `dayRange`. Hour rows and guide or poll events are read with `hourRange` and filtered on
 * their time field to the day, so the request returns exactly the rows the database assigns
 * to the day. The filter matters where local midnight is not on a UTC hour, because an hour
 * bucket then straddles two days.
 */
export function dayStages(
  spec: EventStreamSpec,
  appIds: number[] | 'all',
  day: CheckedDay,
  range: { first: number; last: number } = { first: day.start, last: day.end },
): Record<string, unknown>[] {
  if (spec.kind === 'aggregate' && !day.hourly) {
    return [eventSourceStage(spec, appIds, 'day', day.start, 1)];
  }
  const first = range.first - (range.first % HOUR_MS);
  const count = Math.ceil((range.last - first) / HOUR_MS);
  const field = timeFieldOf(spec, 'hour');
  return [
    eventSourceStage(spec, appIds, 'hour', first, count),
    { filter: `${field} >= ${day.start} && ${field} < ${day.end}` },
  ];
}

/** Returns the starts of the UTC hours that overlap a local day, oldest first. */
export function hoursOf(day: CheckedDay): number[] {
  const hours: number[] = [];
  for (let start = day.start - (day.start % HOUR_MS); start < day.end; start += HOUR_MS) {
    hours.push(start);
  }
  return hours;
}
