import type { PendoRecord } from '../../../types';
import { nextLocalDay, startOfLocalDay } from '../time-zone';
import { aggregateSliceRows } from './aggregate-rows';
import type { Bucket, EventContext } from './event-context';
import { interactionSliceRows } from './interactions';
import { sliceOf } from './slice-size';
import type { EventSource } from './streams';
import { STREAMS } from './streams';
import { firstIndexFrom } from './visits';

/** Returns the starts of the local days that overlap `bucket` (two only for half-hour zones). */
function overlappingDays(timeZone: string, bucket: Bucket): number[] {
  const first = startOfLocalDay(timeZone, bucket.start);
  const last = startOfLocalDay(timeZone, bucket.end - 1);
  return first === last ? [first] : [first, last];
}

/**
 * Yields the rows of one source in one bucket, app by app, as they are visible at
 * `visibleUntil`. The same arguments always give the same rows in the same order.
 */
export function* bucketRows(
  context: EventContext,
  source: EventSource,
  appIndexes: readonly number[],
  bucket: Bucket,
  visibleUntil: number,
  isIgnored: (visitorSlot: number) => boolean,
): Generator<PendoRecord> {
  const rowsOf = STREAMS[source].kind === 'aggregate' ? aggregateSliceRows : interactionSliceRows;
  for (const appIndex of appIndexes) {
    for (const dayStart of overlappingDays(context.timeZone, bucket)) {
      const dayEnd = nextLocalDay(context.timeZone, dayStart);
      const slice = sliceOf(context, source, appIndex, dayStart, dayEnd);
      yield* rowsOf(context, slice, bucket, visibleUntil, isIgnored);
    }
  }
}

/**
 * Returns the number of visits or interactions that start in `bucket` before `visibleUntil`,
 * without generating rows. It equals the row count for day buckets and for guide and poll
 * events. For hour buckets it is lower, because a visit spanning several hours is counted
 * only in the hour it starts.
 */
export function countBucketStarts(
  context: EventContext,
  source: EventSource,
  appIndexes: readonly number[],
  bucket: Bucket,
  visibleUntil: number,
): number {
  let total = 0;
  const end = Math.min(bucket.end, visibleUntil);
  if (end <= bucket.start) return 0;
  for (const appIndex of appIndexes) {
    for (const dayStart of overlappingDays(context.timeZone, bucket)) {
      const slice = sliceOf(
        context,
        source,
        appIndex,
        dayStart,
        nextLocalDay(context.timeZone, dayStart),
      );
      if (slice.size === 0) continue;
      const from = Math.max(bucket.start, dayStart);
      total += firstIndexFrom(context, slice, end) - firstIndexFrom(context, slice, from);
    }
  }
  return total;
}
