import type pg from 'pg';
import { withTransaction } from '../transaction';
import type { EventStream } from '../../events/streams';
import { EVENT_STREAM_SPECS } from '../../events/streams';
import { dropPartitionsBefore } from './partitions';
import { deleteWindowsBefore } from './windows';

/** Partitions, rows and windows that retention removed from one stream. */
export interface RetentionOutcome {
  droppedPartitions: string[];
  /** Rows deleted from the partition that contains the cutoff. */
  deletedRows: number;
  deletedWindows: number;
}

/**
 * Removes a stream's events older than `cutoff`, in one transaction. The cutoff is epoch ms
 * at a local midnight, so whole windows go. Drops the monthly partitions that end by then,
 * deletes the older rows of the partition that contains it, and deletes the window rows that
 * start before it. Rollup rows are left as they are.
 */
export async function applyRetention(
  pool: pg.Pool,
  stream: EventStream,
  cutoff: number,
): Promise<RetentionOutcome> {
  const { table, timeColumn } = EVENT_STREAM_SPECS[stream];
  return withTransaction(pool, async (client) => {
    const droppedPartitions = await dropPartitionsBefore(client, table, cutoff);
    const deleted = await client.query(`delete from ${table} where ${timeColumn} < $1`, [
      new Date(cutoff),
    ]);
    const deletedWindows = await deleteWindowsBefore(client, stream, cutoff);
    return { droppedPartitions, deletedRows: deleted.rowCount ?? 0, deletedWindows };
  });
}
