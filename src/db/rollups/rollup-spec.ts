import type { EventStream } from '../../events/streams';

/**
 * One rollup table and the statement that fills it. `insertSql` inserts the sums of the
 * local days [$2, $3] for the apps $4 (null for every app), with days in time zone $1.
 */
export interface RollupSpec {
  table: string;
  /** The stream whose event table the rollup sums. */
  stream: EventStream;
  insertSql: string;
}

/** SQL of the local date of a timestamptz column, in the time zone $1. */
export function localDaySql(column: string): string {
  return `(${column} at time zone $1)::date`;
}

/**
 * SQL condition on a timestamptz column: from local midnight of day $2 to local midnight
 * after day $3, in time zone $1. Written on the raw column, so partitions are pruned.
 */
export function dayRangeSql(column: string): string {
  return (
    `${column} >= ($2::date)::timestamp at time zone $1 ` +
    `and ${column} < ($3::date + 1)::timestamp at time zone $1`
  );
}

/** SQL condition on an app id column: in $4, or any app when $4 is null. */
export function appFilterSql(column: string): string {
  return `($4::bigint[] is null or ${column} = any($4::bigint[]))`;
}
