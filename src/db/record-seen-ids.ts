import type pg from 'pg';
import type { Entity } from '../types';

/**
 * Records that the pass `passId` saw `ids` of `entity`. An id seen by an older pass is moved
 * to this pass; repeated ids are written once. Returns the number of rows written.
 */
export async function recordSeenIds(
  client: pg.PoolClient,
  entity: Entity,
  passId: string,
  ids: string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await client.query(
    `insert into sync_seen_ids (entity, pass_id, id)
     select $1, $2::uuid, seen.id from (select distinct unnest($3::text[]) as id) as seen
     on conflict (entity, id) do update set pass_id = excluded.pass_id
     where sync_seen_ids.pass_id is distinct from excluded.pass_id`,
    [entity, passId, ids],
  );
  return result.rowCount ?? 0;
}
