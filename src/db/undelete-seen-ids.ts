import type pg from 'pg';
import type { Entity } from '../types';
import { preferHashJoins } from './mark-missing-deleted';
import { catalogTable } from './rows';

/**
 * Clears `deleted_at` on rows of `entity` that are marked deleted but whose id the pass
 * `passId` saw again. A pass that writes full records does not need this, since
 * `mergeRecords` already clears `deleted_at`; a pass that lists only ids does.
 * Returns the number of rows brought back.
 */
export async function undeleteSeenIds(
  client: pg.PoolClient,
  entity: Entity,
  passId: string,
): Promise<number> {
  const table = catalogTable(entity);
  await preferHashJoins(client);
  const result = await client.query(
    `update ${table} as target set deleted_at = null, synced_at = now()
     from sync_seen_ids as seen
     where seen.entity = $1 and seen.pass_id = $2::uuid and seen.id = target.id
       and target.deleted_at is not null`,
    [entity, passId],
  );
  return result.rowCount ?? 0;
}
