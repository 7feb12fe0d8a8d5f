import type pg from 'pg';
import { catalogTable, hasAppIdColumn } from '../db/rows';
import type { Entity } from '../types';
import type { RecordKey } from './pendo-ids';

const SAMPLE_SIZE = 5;

/** Differences between Pendo's records of one entity and the live rows of its table. */
export interface EntityDrift {
  entity: Entity;
  pendoCount: number;
  databaseCount: number;
  /** Records Pendo lists that have no live row. */
  missing: number;
  /** Live rows whose record Pendo no longer lists. */
  extra: number;
  /** Rows whose stored update time differs from Pendo's, so their content is stale. */
  outdated: number;
  sampleMissing: string[];
  sampleExtra: string[];
  /** Per app id (null for subscription-level records): Pendo's count and the database's. */
  perApp: { appId: number | null; pendo: number; database: number }[];
}

/** Creates the temporary table that stores Pendo's keys for one comparison. */
export async function createKeyTable(client: pg.PoolClient): Promise<void> {
  await client.query(
    `create temporary table pendo_verify_keys (
       id text primary key, app_id bigint, last_updated_ms bigint
     ) on commit drop`,
  );
}

export async function insertKeys(client: pg.PoolClient, keys: RecordKey[]): Promise<void> {
  if (keys.length === 0) return;
  await client.query(
    `insert into pendo_verify_keys (id, app_id, last_updated_ms)
     select * from unnest($1::text[], $2::bigint[], $3::bigint[])
     on conflict (id) do nothing`,
    [keys.map((key) => key.id), keys.map((key) => key.appId), keys.map((key) => key.lastUpdatedAt)],
  );
}

async function countAndSample(
  client: pg.PoolClient,
  fromWhere: string,
  params: unknown[],
): Promise<{ count: number; sample: string[] }> {
  const count = await client.query<{ count: string }>(
    `select count(*) as count ${fromWhere}`,
    params,
  );
  const sample = await client.query<{ id: string }>(
    `select id ${fromWhere} order by id limit ${SAMPLE_SIZE}`,
    params,
  );
  return { count: Number(count.rows[0]?.count ?? 0), sample: sample.rows.map((row) => row.id) };
}

/** Compares the keys loaded into `pendo_verify_keys` with the entity's live rows. */
export async function compareKeys(
  client: pg.PoolClient,
  entity: Entity,
  appIds: number[] | 'all',
): Promise<EntityDrift> {
  const table = catalogTable(entity);
  const appIdColumn = hasAppIdColumn(entity) ? 't.app_id' : 'null::bigint';
  if (appIds !== 'all' && !hasAppIdColumn(entity)) {
    throw new TypeError(`${entity} rows have no app id, so they cannot be compared per app`);
  }
  const scope = appIds === 'all' ? 'true' : 't.app_id = any($1::bigint[])';
  const params = appIds === 'all' ? [] : [appIds];
  const live = `from ${table} t where t.deleted_at is null and ${scope}`;
  const missing = await countAndSample(
    client,
    `from pendo_verify_keys k where not exists
       (select 1 from ${table} t where t.id = k.id and t.deleted_at is null)`,
    [],
  );
  const extra = await countAndSample(
    client,
    `${live} and not exists (select 1 from pendo_verify_keys k where k.id = t.id)`,
    params,
  );
  const outdated = await client.query<{ count: string }>(
    `select count(*) as count from pendo_verify_keys k join ${table} t on t.id = k.id
     where t.deleted_at is null and k.last_updated_ms > 0
       and round(extract(epoch from t.last_updated_at) * 1000)::bigint
           is distinct from k.last_updated_ms`,
  );
  const perApp = await client.query<{ app_id: string | null; pendo: string; database: string }>(
    `select app_id, sum(pendo) as pendo, sum(database) as database from (
       select k.app_id, 1 as pendo, 0 as database from pendo_verify_keys k
       union all
       select ${appIdColumn}, 0, 1 ${live}
     ) as counted group by app_id order by app_id nulls first`,
    params,
  );
  const apps = perApp.rows.map((row) => ({
    appId: row.app_id === null ? null : Number(row.app_id),
    pendo: Number(row.pendo),
    database: Number(row.database),
  }));
  return {
    entity,
    pendoCount: apps.reduce((sum, app) => sum + app.pendo, 0),
    databaseCount: apps.reduce((sum, app) => sum + app.database, 0),
    missing: missing.count,
    extra: extra.count,
    outdated: Number(outdated.rows[0]?.count ?? 0),
    sampleMissing: missing.sample,
    sampleExtra: extra.sample,
    perApp: apps,
  };
}

/** Returns true when the copy differs from Pendo in any way this comparison measures. */
export function hasDrift(drift: EntityDrift): boolean {
  return drift.missing > 0 || drift.extra > 0 || drift.outdated > 0;
}
