import type pg from 'pg';
import { CATALOG_ENTITIES } from '../types';
import type { CatalogEntity } from '../types';
import { loadAllSyncStates } from './cursors';
import type { SyncState } from './cursors';
import { catalogTable } from './rows';
import { recentRuns, toRunEntityRow } from './runs';
import type { RunEntityDatabaseRow, RunEntityRow } from './runs';

/** State of one entity's copy, as `pendo-sync status` shows it. */
export interface EntityStatus {
  entity: CatalogEntity;
  liveRows: number;
  deletedRows: number;
  /** When the last completed run of this entity finished: how fresh the copy is. */
  lastCompletedAt: Date | null;
  /** The latest run of this entity, whatever its status. */
  lastRun: RunEntityRow | null;
  syncState: SyncState | null;
}

export interface SyncStatusReport {
  entities: EntityStatus[];
  recentRuns: RunEntityRow[];
}

/** Counts live and deleted rows of every catalog table in one statement. */
async function countRows(
  pool: pg.Pool,
): Promise<Map<CatalogEntity, { live: number; deleted: number }>> {
  const selects = CATALOG_ENTITIES.map(
    (entity, index) =>
      `select $${index + 1}::text as entity,
              count(*) filter (where deleted_at is null) as live,
              count(*) filter (where deleted_at is not null) as deleted
       from ${catalogTable(entity)}`,
  );
  const result = await pool.query<{ entity: CatalogEntity; live: string; deleted: string }>(
    selects.join(' union all '),
    [...CATALOG_ENTITIES],
  );
  return new Map(
    result.rows.map((row) => [
      row.entity,
      { live: Number(row.live), deleted: Number(row.deleted) },
    ]),
  );
}

/** Returns the latest run of each entity. */
async function latestRuns(pool: pg.Pool): Promise<Map<CatalogEntity, RunEntityRow>> {
  const result = await pool.query<RunEntityDatabaseRow>(
    'select distinct on (entity) * from sync_status order by entity, started_at desc, id desc',
  );
  return new Map(result.rows.map((row) => [row.entity, toRunEntityRow(row)]));
}

/** Returns when each entity's last completed run finished. */
async function lastCompletedTimes(pool: pg.Pool): Promise<Map<CatalogEntity, Date>> {
  const result = await pool.query<{ entity: CatalogEntity; finished_at: Date }>(
    `select entity, max(finished_at) as finished_at from sync_status
     where status = 'completed' group by entity`,
  );
  return new Map(result.rows.map((row) => [row.entity, row.finished_at]));
}

/**
 * Reads the state of the copy for `pendo-sync status`: per entity the row counts, freshness,
 * latest run and cursor, plus the latest `recentRunLimit` run entities (20 by default).
 * Counting rows scans every catalog table once.
 */
export async function readSyncStatus(
  pool: pg.Pool,
  options: { recentRunLimit?: number } = {},
): Promise<SyncStatusReport> {
  const [counts, runs, completed, states, recent] = await Promise.all([
    countRows(pool),
    latestRuns(pool),
    lastCompletedTimes(pool),
    loadAllSyncStates(pool),
    recentRuns(pool, options.recentRunLimit ?? 20),
  ]);
  const stateByEntity = new Map(states.map((state) => [state.entity, state]));
  const entities = CATALOG_ENTITIES.map((entity) => ({
    entity,
    liveRows: counts.get(entity)?.live ?? 0,
    deletedRows: counts.get(entity)?.deleted ?? 0,
    lastCompletedAt: completed.get(entity) ?? null,
    lastRun: runs.get(entity) ?? null,
    syncState: stateByEntity.get(entity) ?? null,
  }));
  return { entities, recentRuns: recent };
}
