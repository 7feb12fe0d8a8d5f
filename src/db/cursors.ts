import type pg from 'pg';
import type { Entity, Cursor } from '../types';
import type { Queryable } from './queryable';

/** Progress of a full pass that has not finished, so that a later run resumes it. */
export interface FullPassCheckpoint {
  passId: string;
  /** Last id the pass committed; null before its first batch. */
  cursorId: string | null;
  /** Highest lastUpdatedAt (epoch ms) the pass has seen; null before its first batch. */
  highWaterTs: number | null;
  startedAt: Date;
}

/** The `sync_cursors` row of one entity. Every field is null before the first sync. */
export interface SyncState {
  entity: Entity;
  cursor: Cursor | null;
  fullPass: FullPassCheckpoint | null;
  lastFullPassAt: Date | null;
  lastIdPassAt: Date | null;
  updatedAt: Date | null;
}

interface SyncCursorRow {
  cursor_ts: string | null;
  cursor_id: string | null;
  full_pass_id: string | null;
  full_pass_cursor_id: string | null;
  full_pass_high_water_ts: string | null;
  full_pass_started_at: Date | null;
  last_full_pass_at: Date | null;
  last_id_pass_at: Date | null;
  updated_at: Date | null;
}

function toSyncState(entity: Entity, row: SyncCursorRow | undefined): SyncState {
  const cursor =
    row?.cursor_ts != null && row.cursor_id != null
      ? { timestamp: Number(row.cursor_ts), id: row.cursor_id }
      : null;
  const fullPass =
    row?.full_pass_id != null
      ? {
          passId: row.full_pass_id,
          cursorId: row.full_pass_cursor_id,
          highWaterTs:
            row.full_pass_high_water_ts == null ? null : Number(row.full_pass_high_water_ts),
          startedAt: row.full_pass_started_at ?? new Date(0),
        }
      : null;
  return {
    entity,
    cursor,
    fullPass,
    lastFullPassAt: row?.last_full_pass_at ?? null,
    lastIdPassAt: row?.last_id_pass_at ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

/** Reads the sync state of `entity`; an entity never synced gets a state of nulls. */
export async function loadSyncState(db: Queryable, entity: Entity): Promise<SyncState> {
  const result = await db.query<SyncCursorRow>('select * from sync_cursors where entity = $1', [
    entity,
  ]);
  return toSyncState(entity, result.rows[0]);
}

/** Reads the sync state of every entity that has a `sync_cursors` row. */
export async function loadAllSyncStates(db: Queryable): Promise<SyncState[]> {
  const result = await db.query<SyncCursorRow & { entity: Entity }>(
    'select * from sync_cursors order by entity',
  );
  return result.rows.map((row) => toSyncState(row.entity, row));
}

/**
 * Upserts some columns of an entity's `sync_cursors` row. `columns` are fixed names from the
 * callers in this file, never input.
 */
async function upsertCursorColumns(
  client: pg.PoolClient,
  entity: Entity,
  columns: Record<string, unknown>,
): Promise<void> {
  const names = Object.keys(columns);
  const placeholders = names.map((_, index) => `$${index + 2}`);
  const updates = names.map((name) => `${name} = excluded.${name}`);
  await client.query(
    `insert into sync_cursors (entity, ${names.join(', ')}, updated_at)
     values ($1, ${placeholders.join(', ')}, now())
     on conflict (entity) do update set ${updates.join(', ')}, updated_at = now()`,
    [entity, ...Object.values(columns)],
  );
}

/** Saves the incremental cursor, in the transaction of the batch it follows; null clears it. */
export async function saveIncrementalCursor(
  client: pg.PoolClient,
  entity: Entity,
  cursor: Cursor | null,
): Promise<void> {
  await upsertCursorColumns(client, entity, {
    cursor_ts: cursor?.timestamp ?? null,
    cursor_id: cursor?.id ?? null,
  });
}

/** Saves the checkpoint of an unfinished full pass; null removes it. */
export async function saveFullPassCheckpoint(
  client: pg.PoolClient,
  entity: Entity,
  checkpoint: FullPassCheckpoint | null,
): Promise<void> {
  await upsertCursorColumns(client, entity, {
    full_pass_id: checkpoint?.passId ?? null,
    full_pass_cursor_id: checkpoint?.cursorId ?? null,
    full_pass_high_water_ts: checkpoint?.highWaterTs ?? null,
    full_pass_started_at: checkpoint?.startedAt ?? null,
  });
}

/** Records that a full pass finished at `at` and removes its checkpoint. */
export async function markFullPassDone(
  client: pg.PoolClient,
  entity: Entity,
  at: Date = new Date(),
): Promise<void> {
  await upsertCursorColumns(client, entity, {
    full_pass_id: null,
    full_pass_cursor_id: null,
    full_pass_high_water_ts: null,
    full_pass_started_at: null,
    last_full_pass_at: at,
  });
}

/** Records that a pass over ids only (the deletion check) finished at `at`. */
export async function markIdPassDone(
  client: pg.PoolClient,
  entity: Entity,
  at: Date = new Date(),
): Promise<void> {
  await upsertCursorColumns(client, entity, { last_id_pass_at: at });
}
