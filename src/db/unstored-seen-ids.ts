import type pg from 'pg';
import type { Entity } from '../types';
import { catalogTable } from './rows';

/**
 * Lists up to `limit` ids, in id order after `afterId`, that the pass `passId` saw but that
 * have no row in `entity`'s table at all: records the keyset passes never returned.
 */
export async function listUnstoredSeenIds(
  client: pg.PoolClient,
  entity: Entity,
  passId: string,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const result = await client.query<{ id: string }>(
    `select seen.id from sync_seen_ids as seen
     where seen.entity = $1 and seen.pass_id = $2::uuid
       and ($3::text is null or seen.id > $3::text)
       and not exists (select 1 from ${catalogTable(entity)} as target where target.id = seen.id)
     order by seen.id
     limit $4`,
    [entity, passId, afterId, limit],
  );
  return result.rows.map((row) => row.id);
}
