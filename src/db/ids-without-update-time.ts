import type { Queryable } from './queryable';
import type { DeletionScope } from './mark-missing-deleted';
import type { Entity } from '../types';
import { catalogTable, hasAppIdColumn } from './rows';

/**
 * Lists up to `limit` ids of live rows of `entity` whose `last_updated_at` is null, in id
 * order after `afterId`, limited to `scope`'s apps on a table with an app_id column. These
 * are records stored without an update time (visitors and accounts without
 * `metadata.auto.lastupdated`), which no incremental filter selects when they change. A
 * partial index on id contains exactly these rows, so a page reads only them.
 */
export async function listIdsWithoutUpdateTime(
  db: Queryable,
  entity: Entity,
  options: { afterId: string | null; limit: number; scope?: DeletionScope },
): Promise<string[]> {
  const inScope = hasAppIdColumn(entity) ? 'target.app_id = any($3::bigint[])' : 'false';
  const result = await db.query<{ id: string }>(
    `select target.id from ${catalogTable(entity)} as target
     where target.last_updated_at is null and target.deleted_at is null
       and ($1::text is null or target.id > $1::text)
       and ($3::bigint[] is null or ${inScope})
     order by target.id
     limit $2`,
    [options.afterId, options.limit, options.scope?.appIds ?? null],
  );
  return result.rows.map((row) => row.id);
}
