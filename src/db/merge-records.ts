import type pg from 'pg';
import type { Entity, PendoRecord } from '../types';
import { catalogTable, typedColumns } from './rows';
import { STAGING_TABLE, stageRecords } from './stage-records';

/** Row counts of one merged batch. `unchanged` counts distinct ids whose row was not rewritten. */
export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows that were marked deleted and are live again; they are part of `updated` too. */
  undeleted: number;
}

/**
 * Builds the merge of the staging table into the entity's table, as one statement.
 *
 * - `distinct on (id) … order by id, ordinal desc` keeps the last record of each id, because
 *   one `insert … on conflict` may not touch the same row twice.
 * - The `where … is distinct from` guard skips rows whose raw record and typed columns are
 *   unchanged and which are not marked deleted, so re-reading an unchanged catalog writes no
 *   new row versions. Comparing the typed columns too lets a full sync repair a row whose
 *   columns were mapped differently by an older version or edited by hand.
 * - `previously_deleted` reads the table before the insert (all parts of one statement see the
 *   same snapshot), which distinguishes undeletes from other updates.
 * - `xmax = 0` is true for rows the statement inserted and false for rows it updated.
 */
function buildMergeSql(entity: Entity): string {
  const table = catalogTable(entity);
  const mapped = ['id', ...typedColumns(entity).map((column) => column.name), 'raw'];
  const compared = mapped.filter((name) => name !== 'id');
  const updates = mapped
    .filter((name) => name !== 'id')
    .map((name) => `${name} = excluded.${name}`)
    .join(', ');
  return `
    with previously_deleted as (
      select target.id from ${table} as target
      where target.deleted_at is not null
        and target.id in (select id from pg_temp.${STAGING_TABLE})
    ), written as (
      insert into ${table} as target (${mapped.join(', ')}, first_seen_at, synced_at, deleted_at)
      select distinct on (id) ${mapped.join(', ')}, $1::timestamptz, $1::timestamptz, null
      from pg_temp.${STAGING_TABLE}
      order by id, ordinal desc
      on conflict (id) do update set ${updates}, synced_at = excluded.synced_at, deleted_at = null
      where (${compared.map((name) => `target.${name}`).join(', ')}, target.deleted_at)
        is distinct from (${compared.map((name) => `excluded.${name}`).join(', ')}, null)
      returning target.id, (target.xmax = 0) as inserted
    )
    select
      count(*) filter (where inserted) as inserted,
      count(*) filter (where not inserted) as updated,
      count(*) filter (where id in (select id from previously_deleted)) as undeleted,
      (select count(distinct id) from pg_temp.${STAGING_TABLE}) as distinct_ids
    from written`;
}

interface MergeResultRow {
  inserted: string;
  updated: string;
  undeleted: string;
  distinct_ids: string;
}

/**
 * Writes a batch of Pendo records into the entity's table inside the caller's transaction:
 * COPY into a temporary staging table, then one merge. New ids are inserted, changed records
 * (or records marked deleted) are rewritten, and unchanged rows are left untouched. When an id
 * appears more than once in `records`, the last one wins. `now` becomes `synced_at` of the
 * written rows and `first_seen_at` of the inserted ones.
 *
 * On any error the transaction is left aborted and the caller must roll it back.
 */
export async function mergeRecords(
  client: pg.PoolClient,
  entity: Entity,
  records: PendoRecord[],
  now: Date = new Date(),
): Promise<MergeCounts> {
  if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0, undeleted: 0 };

  await stageRecords(client, entity, records);
  const result = await client.query<MergeResultRow>(buildMergeSql(entity), [now]);
  await client.query(`drop table pg_temp.${STAGING_TABLE}`);

  const row = result.rows[0];
  const inserted = Number(row?.inserted ?? 0);
  const updated = Number(row?.updated ?? 0);
  return {
    inserted,
    updated,
    unchanged: Number(row?.distinct_ids ?? 0) - inserted - updated,
    undeleted: Number(row?.undeleted ?? 0),
  };
}
