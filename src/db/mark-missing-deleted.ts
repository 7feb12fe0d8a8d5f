import type pg from 'pg';
import type { Entity } from '../types';
import { catalogTable, hasAppIdColumn } from './rows';

/** Limits deletion detection to part of a table, when a pass listed only some apps. */
export interface DeletionScope {
  /**
   * Only rows whose app_id is one of these. Rows without an app id, and every row of a table
   * without an app_id column (visitors, accounts), are then never marked.
   */
  appIds?: number[];
}

/**
 * Condition on `target` (a catalog table) that selects live rows in scope whose id the pass
 * did not see. Parameters: $1 entity, $2 pass id, $3 app ids or null.
 */
export const MISSING_ROWS_CONDITION = `target.deleted_at is null
  and ($3::bigint[] is null or target.app_id = any($3::bigint[]))
  and not exists (
    select 1 from sync_seen_ids as seen
    where seen.entity = $1 and seen.id = target.id and seen.pass_id = $2::uuid
  )`;

/** MISSING_ROWS_CONDITION for a table without `app_id`, where any app scope selects nothing. */
const MISSING_ROWS_CONDITION_WITHOUT_APPS = MISSING_ROWS_CONDITION.replace(
  'target.app_id = any($3::bigint[])',
  'false',
);

/** Returns the condition of MISSING_ROWS_CONDITION that fits the columns of `entity`'s table. */
export function missingRowsCondition(entity: Entity): string {
  return hasAppIdColumn(entity) ? MISSING_ROWS_CONDITION : MISSING_ROWS_CONDITION_WITHOUT_APPS;
}

/**
 * Keeps the planner off nested loops for the rest of the transaction. Right after a pass has
 * filled `sync_seen_ids`, autovacuum has usually not analysed it yet, so the planner takes it
 * for a tiny table and picks a nested loop that scans it once per catalog row: minutes at
 * 50,000 rows. A hash anti join reads each table once, whatever the statistics are.
 */
export async function preferHashJoins(client: pg.PoolClient): Promise<void> {
  await client.query('set local enable_nestloop = off');
}

/**
 * Marks live rows of `entity` whose id the pass `passId` did not see as deleted, setting
 * `deleted_at` and `synced_at` to the transaction's start time. Returns the number of rows marked.
 *
 * Call it only after a pass that listed every id in scope has finished: a pass that stopped
 * early (or a Pendo response that left records out) would mark live records as deleted.
 */
export async function markMissingDeleted(
  client: pg.PoolClient,
  entity: Entity,
  passId: string,
  scope: DeletionScope = {},
): Promise<number> {
  const table = catalogTable(entity);
  await preferHashJoins(client);
  const result = await client.query(
    `update ${table} as target set deleted_at = now(), synced_at = now()
     where ${missingRowsCondition(entity)}`,
    [entity, passId, scope.appIds ?? null],
  );
  return result.rowCount ?? 0;
}
