import type pg from 'pg';
import type { Entity } from '../types';
import { missingRowsCondition, preferHashJoins } from './mark-missing-deleted';
import type { DeletionScope } from './mark-missing-deleted';
import { catalogTable, hasAppIdColumn } from './rows';

/** Counts the live (not deleted) rows of `entity` in `scope`. */
export async function countLiveRows(
  client: pg.PoolClient,
  entity: Entity,
  scope: DeletionScope = {},
): Promise<number> {
  const inScope = hasAppIdColumn(entity) ? 'target.app_id = any($1::bigint[])' : 'false';
  const result = await client.query<{ count: string }>(
    `select count(*) as count from ${catalogTable(entity)} as target
     where target.deleted_at is null and ($1::bigint[] is null or ${inScope})`,
    [scope.appIds ?? null],
  );
  return Number(result.rows[0]?.count ?? 0);
}

/**
 * Counts the rows that `markMissingDeleted` would mark for the same arguments, so a caller
 * can reject a suspiciously large deletion before making it.
 */
export async function countMissingRows(
  client: pg.PoolClient,
  entity: Entity,
  passId: string,
  scope: DeletionScope = {},
): Promise<number> {
  await preferHashJoins(client);
  const result = await client.query<{ count: string }>(
    `select count(*) as count from ${catalogTable(entity)} as target
     where ${missingRowsCondition(entity)}`,
    [entity, passId, scope.appIds ?? null],
  );
  return Number(result.rows[0]?.count ?? 0);
}
