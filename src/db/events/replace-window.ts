import type { Queryable } from '../queryable';
import type { EventStream } from '../../events/streams';
import { EVENT_STREAM_SPECS } from '../../events/streams';
import { eventColumns } from './columns';
import { EVENT_STAGE_TABLE } from './stage-rows';

/** Row counts of one window replacement in the event table. */
export interface WindowWriteCounts {
  /** Staged rows that were not stored yet. */
  inserted: number;
  /** Distinct staged rows that were stored already and were left as they were. */
  unchanged: number;
  /** Stored rows of the window that Pendo no longer returned. */
  deleted: number;
}

/** The window a replacement covers: [from, to) in epoch ms, for the given apps. */
export interface WindowScope {
  stream: EventStream;
  from: number;
  to: number;
  appIds: number[] | 'all';
}

function appFilter(appIds: number[] | 'all'): number[] | null {
  return appIds === 'all' ? null : appIds;
}

async function deleteUnstagedRows(db: Queryable, scope: WindowScope): Promise<number> {
  const { table, timeColumn } = EVENT_STREAM_SPECS[scope.stream];
  const result = await db.query(
    `delete from ${table} as target
     where target.${timeColumn} >= $1 and target.${timeColumn} < $2
       and ($3::bigint[] is null or target.app_id = any($3::bigint[]))
       and not exists (
         select 1 from pg_temp.${EVENT_STAGE_TABLE} as s where s.row_hash = target.row_hash
       )`,
    [new Date(scope.from), new Date(scope.to), appFilter(scope.appIds)],
  );
  return result.rowCount ?? 0;
}

async function insertStagedRows(db: Queryable, stream: EventStream, now: Date): Promise<number> {
  const { table } = EVENT_STREAM_SPECS[stream];
  const columns = eventColumns(stream);
  const names = [...columns.map((column) => column.name), 'row_hash', 'raw', 'synced_at'];
  const values = [...columns.map((column) => column.sql), 's.row_hash', 's.raw', '$1'];
  // `on conflict do nothing` leaves stored rows untouched (no new row version) and collapses
  // exact duplicates inside one response.
  const result = await db.query(
    `insert into ${table} (${names.join(', ')})
     select ${values.join(', ')} from pg_temp.${EVENT_STAGE_TABLE} as s
     on conflict do nothing`,
    [now],
  );
  return result.rowCount ?? 0;
}

async function countDistinctStaged(db: Queryable): Promise<number> {
  const result = await db.query<{ count: string }>(
    `select count(distinct row_hash) as count from pg_temp.${EVENT_STAGE_TABLE}`,
  );
  return Number(result.rows[0]?.count ?? 0);
}

/**
 * Makes the window's rows in the event table equal to the staged rows, inside the caller's
 * transaction: deletes the stored rows of the window and apps that are not staged, then
 * inserts the staged rows not stored yet. Rows both stored and staged are not rewritten, so
 * reading an unchanged window again writes nothing. The staged rows must all lie in the
 * window and apps, and the window's partitions must exist.
 */
export async function replaceWindowRows(
  db: Queryable,
  scope: WindowScope,
  now: Date = new Date(),
): Promise<WindowWriteCounts> {
  const deleted = await deleteUnstagedRows(db, scope);
  const inserted = await insertStagedRows(db, scope.stream, now);
  const distinct = await countDistinctStaged(db);
  return { inserted, unchanged: distinct - inserted, deleted };
}
