import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadSyncState,
  markFullPassDone,
  markIdPassDone,
  saveFullPassCheckpoint,
  saveIncrementalCursor,
} from '../../src/db/cursors';
import { withTransaction } from '../../src/db/transaction';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';

describe('sync cursors', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('loads an empty state for a new entity', async () => {
    expect(await loadSyncState(database.pool, 'segments')).toEqual({
      entity: 'segments',
      cursor: null,
      fullPass: null,
      lastFullPassAt: null,
      lastIdPassAt: null,
      updatedAt: null,
    });
  });

  it('saves and loads the incremental cursor', async () => {
    await withTransaction(database.pool, (client) =>
      saveIncrementalCursor(client, 'guides', { timestamp: 1_759_216_882_787, id: '-AsTA2' }),
    );
    const state = await loadSyncState(database.pool, 'guides');
    expect(state.cursor).toEqual({ timestamp: 1_759_216_882_787, id: '-AsTA2' });
    expect(state.updatedAt).toBeInstanceOf(Date);
  });

  it('keeps the cursor when the transaction rolls back', async () => {
    await withTransaction(database.pool, (client) =>
      saveIncrementalCursor(client, 'pages', { timestamp: 1, id: 'first' }),
    );
    await expect(
      withTransaction(database.pool, async (client) => {
        await saveIncrementalCursor(client, 'pages', { timestamp: 2, id: 'second' });
        throw new Error('batch failed');
      }),
    ).rejects.toThrow('batch failed');
    expect((await loadSyncState(database.pool, 'pages')).cursor).toEqual({
      timestamp: 1,
      id: 'first',
    });
  });

  it('saves a full pass checkpoint beside the cursor', async () => {
    const passId = randomUUID();
    const startedAt = new Date('2026-01-02T03:04:05.678Z');
    await withTransaction(database.pool, async (client) => {
      await saveIncrementalCursor(client, 'features', { timestamp: 10, id: 'x' });
      await saveFullPassCheckpoint(client, 'features', {
        passId,
        cursorId: 'm',
        highWaterTs: 1_700_000_000_000,
        startedAt,
      });
    });
    const state = await loadSyncState(database.pool, 'features');
    expect(state.cursor).toEqual({ timestamp: 10, id: 'x' });
    expect(state.fullPass).toEqual({
      passId,
      cursorId: 'm',
      highWaterTs: 1_700_000_000_000,
      startedAt,
    });
  });

  it('clears the checkpoint when the full pass is done', async () => {
    const doneAt = new Date('2026-02-01T00:00:00Z');
    await withTransaction(database.pool, (client) => markFullPassDone(client, 'features', doneAt));
    const state = await loadSyncState(database.pool, 'features');
    expect(state.fullPass).toBeNull();
    expect(state.lastFullPassAt).toEqual(doneAt);
    expect(state.cursor).toEqual({ timestamp: 10, id: 'x' });
  });

  it('records the id pass time', async () => {
    const doneAt = new Date('2026-03-01T00:00:00Z');
    await withTransaction(database.pool, (client) => markIdPassDone(client, 'reports', doneAt));
    const state = await loadSyncState(database.pool, 'reports');
    expect(state.lastIdPassAt).toEqual(doneAt);
    expect(state.cursor).toBeNull();
  });

  it('removes a checkpoint saved as null', async () => {
    await withTransaction(database.pool, (client) =>
      saveFullPassCheckpoint(client, 'track_types', {
        passId: randomUUID(),
        cursorId: null,
        highWaterTs: null,
        startedAt: new Date(),
      }),
    );
    expect((await loadSyncState(database.pool, 'track_types')).fullPass?.cursorId).toBeNull();
    await withTransaction(database.pool, (client) =>
      saveFullPassCheckpoint(client, 'track_types', null),
    );
    expect((await loadSyncState(database.pool, 'track_types')).fullPass).toBeNull();
  });
});
