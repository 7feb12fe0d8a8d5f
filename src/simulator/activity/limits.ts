import { SimulatorHttpError } from '../errors';
import type { EventSourceSpec } from './activity-source';
import { countBucketStarts } from './events/bucket-rows';
import type { Bucket, EventContext } from './events/event-context';
import { DAY_MS } from './time-zone';

/** Body Pendo sends with status 408 when an aggregation runs too long. */
export const TIMEOUT_TEXT = 'The call took too long and timed out.';

/**
 * Rejects an over-broad event aggregation with 408, as Pendo does for calls that run past
 * its time limit, so clients must split their window. The row count is the source's rows
 * before any filter (for hour buckets, the visits starting in the window).
 */
export function checkAggregationLimits(
  context: EventContext,
  source: EventSourceSpec,
  buckets: readonly Bucket[],
  visibleUntil: number,
  limits: { maxRows: number; maxDays: number },
): void {
  const windowMs = Math.max(0, source.series.end - source.series.start);
  if (windowMs > limits.maxDays * DAY_MS) throw new SimulatorHttpError(408, TIMEOUT_TEXT);
  if (limits.maxRows === Infinity) return;
  let rows = 0;
  for (const bucket of buckets) {
    rows += countBucketStarts(context, source.name, source.appIndexes, bucket, visibleUntil);
    if (rows > limits.maxRows) throw new SimulatorHttpError(408, TIMEOUT_TEXT);
  }
}
