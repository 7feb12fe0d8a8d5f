import type pg from 'pg';
import { ENTITIES } from '../types';
import type { Entity } from '../types';
import type { EventStream } from '../events/streams';
import { readEventStreamStatus } from './event-stream-status';
import type { EventStreamStatus } from './event-stream-status';
import { loadAllSyncStates } from './cursors';
import type { SyncState } from './cursors';
import { catalogTable } from './rows';
import { recentRuns, toRunEntityRow } from './runs';
import type { RunEntityDatabaseRow, RunEntityRow } from './runs';

/** State of one entity's copy, as `pendo-sync status` shows it. */
export interface EntityStatus {
  entity: Entity;
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
  /** One entry per stream listed in the options, in that order. */
  streams: EventStreamStatus[];
  recentRuns: RunEntityRow[];
}

export type { EventStreamStatus } from './event-stream-status';

/** Counts live and deleted rows of the entities' tables in one statement. */
async function countRows(
  pool: pg.Pool,
  entities: readonly Entity[],
): Promise<Map<Entity, { live: number; deleted: number }>> {
  if (entities.length === 0) return new Map();
  const selects = entities.map(
    (entity, index) =>
      `select $${index + 1}::text as entity,
              count(*) filter (where deleted_at is null) as live,
              count(*) filter (where deleted_at is not null) as deleted
       from ${catalogTable(entity)}`,
  );
  const result = await pool.query<{ entity: Entity; live: string; deleted: string }>(
    selects.join(' union all '),
    [...entities],
  );
  return new Map(
    result.rows.map((row) => [
      row.entity,
      { live: Number(row.live), deleted: Number(row.deleted) },
    ]),
  );
}

/** Returns the latest run of each entity. */
async function latestRuns(pool: pg.Pool): Promise<Map<Entity, RunEntityRow>> {
  const result = await pool.query<RunEntityDatabaseRow>(
    'select distinct on (entity) * from sync_status order by entity, started_at desc, id desc',
  );
  return new Map(result.rows.map((row) => [row.entity, toRunEntityRow(row)]));
}

/** Returns when each entity's last completed run finished. */
async function lastCompletedTimes(pool: pg.Pool): Promise<Map<Entity, Date>> {
  const result = await pool.query<{ entity: Entity; finished_at: Date }>(
    `select entity, max(finished_at) as finished_at from sync_status
     where status = 'completed' group by entity`,
  );
  return new Map(result.rows.map((row) => [row.entity, row.finished_at]));
}

/**
 * Reads the state of the copy for `pendo-sync status`: per entity the row counts, freshness,
 * latest run and cursor, per listed stream its windows (none by default, with `eventLagMs`
 * deciding which windows count as closed), plus the latest `recentRunLimit` run entities (20 by
 * default). Only windows read for `eventAppIds` count, every app by default. Counting rows
 * scans each listed entity's table once; streams only read `sync_event_windows`.
 */
export async function readSyncStatus(
  pool: pg.Pool,
  options: {
    recentRunLimit?: number;
    entities?: readonly Entity[];
    streams?: readonly EventStream[];
    eventLagMs?: number;
    eventAppIds?: number[] | 'all';
  } = {},
): Promise<SyncStatusReport> {
  const listed = options.entities ?? ENTITIES;
  const [counts, runs, completed, states, recent, streams] = await Promise.all([
    countRows(pool, listed),
    latestRuns(pool),
    lastCompletedTimes(pool),
    loadAllSyncStates(pool),
    recentRuns(pool, options.recentRunLimit ?? 20),
    readEventStreamStatus(
      pool,
      options.streams ?? [],
      options.eventLagMs ?? 0,
      options.eventAppIds ?? 'all',
    ),
  ]);
  const stateByEntity = new Map(states.map((state) => [state.entity, state]));
  const entities = listed.map((entity) => ({
    entity,
    liveRows: counts.get(entity)?.live ?? 0,
    deletedRows: counts.get(entity)?.deleted ?? 0,
    lastCompletedAt: completed.get(entity) ?? null,
    lastRun: runs.get(entity) ?? null,
    syncState: stateByEntity.get(entity) ?? null,
  }));
  return { entities, streams, recentRuns: recent };
}
