import type { PendoRecord } from '../../types';
import type { EventSourceSpec } from './activity-source';
import type { EventReader } from './event-query';
import { sourceBucketRows } from './event-query';
import type { Bucket } from './events/event-context';
import type { EventSource } from './events/streams';
import { periodSteps } from './time-series';
import { MAX_BUCKETS } from './time-series';

/** The event rows a test reads the truth of: source, period, window and apps. */
export interface EventQuery {
  source: EventSource;
  period: 'day' | 'hour';
  /** Epoch ms; snapped down to the start of its bucket. */
  from: number;
  /** Epoch ms, exclusive: buckets starting before it are included. */
  to: number;
  /** App ids to include; every app when absent. */
  appIds?: number[];
}

/** Sums of one bucket's rows. */
export interface BucketTotals {
  /** Start of the bucket (the rows' `day` or `hour`). */
  start: number;
  rows: number;
  /** Sum of `numEvents`; for guide and poll events, the number of rows. */
  numEvents: number;
  /** Sum of `numMinutes`; 0 for guide and poll events. */
  numMinutes: number;
  uniqueVisitors: number;
}

/** Lists the buckets of a query, bounded by MAX_BUCKETS. */
export function queryBuckets(query: EventQuery, timeZone: string): Bucket[] {
  const steps = periodSteps(query.period, timeZone);
  const buckets: Bucket[] = [];
  for (let start = steps.snap(query.from); start < query.to;) {
    if (buckets.length >= MAX_BUCKETS)
      throw new RangeError(`query spans more than ${MAX_BUCKETS} buckets`);
    const end = steps.next(start);
    buckets.push({ period: query.period, start, end });
    start = end;
  }
  return buckets;
}

/** Yields the exact rows of a query straight from the generator, bucket by bucket. */
export function* queryRows(
  reader: EventReader,
  source: EventSourceSpec,
  buckets: Bucket[],
): Generator<PendoRecord> {
  for (const bucket of buckets) yield* sourceBucketRows(reader, source, bucket);
}

/** Sums each bucket's rows; buckets without rows are included with zeros. */
export function totalsOf(
  reader: EventReader,
  source: EventSourceSpec,
  buckets: Bucket[],
): BucketTotals[] {
  return buckets.map((bucket) => {
    const totals: BucketTotals = {
      start: bucket.start,
      rows: 0,
      numEvents: 0,
      numMinutes: 0,
      uniqueVisitors: 0,
    };
    const visitors = new Set<unknown>();
    for (const row of sourceBucketRows(reader, source, bucket)) {
      totals.rows++;
      totals.numEvents += typeof row.numEvents === 'number' ? row.numEvents : 1;
      totals.numMinutes += typeof row.numMinutes === 'number' ? row.numMinutes : 0;
      visitors.add(row.visitorId);
    }
    totals.uniqueVisitors = visitors.size;
    return totals;
  });
}
