import type { PendoRecord } from '../../types';
import type { Row } from '../aggregation/row';
import { bucketRows } from './events/bucket-rows';
import type { Bucket, EventContext } from './events/event-context';
import type { EventSourceSpec } from './activity-source';

/** Reads the rows of an event source over a list of buckets, as visible at one instant. */
export interface EventReader {
  context: EventContext;
  visibleUntil: number;
  isIgnored: (visitorSlot: number) => boolean;
}

/** Yields the rows of one bucket of an event source, narrowed to one target when asked. */
export function* sourceBucketRows(
  reader: EventReader,
  source: EventSourceSpec,
  bucket: Bucket,
): Generator<PendoRecord> {
  const rows = bucketRows(
    reader.context,
    source.name,
    source.appIndexes,
    bucket,
    reader.visibleUntil,
    reader.isIgnored,
  );
  const narrow = source.narrow;
  for (const row of rows) {
    if (!narrow || row[narrow.field] === narrow.id) yield row;
  }
}

/** Yields the rows of every bucket in order. */
export function* sourceRows(
  reader: EventReader,
  source: EventSourceSpec,
  buckets: readonly Bucket[],
): Generator<Row> {
  for (const bucket of buckets) yield* sourceBucketRows(reader, source, bucket);
}
