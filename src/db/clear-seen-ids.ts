import type pg from 'pg';
import type { Entity } from '../types';

/** Deletes the seen ids of every pass of `entity`, to start a new pass or after one ends. */
export async function clearSeenIds(client: pg.PoolClient, entity: Entity): Promise<number> {
  const result = await client.query('delete from sync_seen_ids where entity = $1', [entity]);
  return result.rowCount ?? 0;
}
