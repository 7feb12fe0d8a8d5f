import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveIncrementalCursor } from '../../src/db/cursors';
import { mergeRecords } from '../../src/db/merge-records';
import { finishRunEntity, startRunEntity } from '../../src/db/runs';
import { readSyncStatus } from '../../src/db/status';
import { withTransaction } from '../../src/db/transaction';
import { ENTITIES } from '../../src/types';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import { guideRecord } from '../helpers/records';

describe('readSyncStatus', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('reports an empty database', async () => {
    const status = await readSyncStatus(database.pool);
    expect(status.entities.map((entry) => entry.entity)).toEqual([...ENTITIES]);
    for (const entry of status.entities) {
      expect(entry).toMatchObject({
        liveRows: 0,
        deletedRows: 0,
        lastCompletedAt: null,
        lastRun: null,
      });
    }
    expect(status.recentRuns).toEqual([]);
  });

  it('reports rows, runs and cursors per entity', async () => {
    await withTransaction(database.pool, async (client) => {
      await mergeRecords(client, 'guides', [guideRecord('a'), guideRecord('b'), guideRecord('c')]);
      await saveIncrementalCursor(client, 'guides', { timestamp: 1_685_322_552_149, id: 'c' });
    });
    await database.pool.query(`update pendo_guides set deleted_at = now() where id = 'c'`);
    const runId = randomUUID();
    const completed = await startRunEntity(database.pool, {
      runId,
      entity: 'guides',
      mode: 'full',
    });
    await finishRunEntity(database.pool, completed, {
      status: 'completed',
      counts: { fetched: 3 },
    });
    const failed = await startRunEntity(database.pool, {
      runId: randomUUID(),
      entity: 'guides',
      mode: 'incremental',
    });
    await finishRunEntity(database.pool, failed, {
      status: 'failed',
      counts: {},
      error: 'Pendo returned 503',
    });

    const status = await readSyncStatus(database.pool, { recentRunLimit: 1 });
    const guides = status.entities.find((entry) => entry.entity === 'guides');
    expect(guides?.liveRows).toBe(2);
    expect(guides?.deletedRows).toBe(1);
    expect(guides?.lastCompletedAt).toBeInstanceOf(Date);
    expect(guides?.lastRun).toMatchObject({
      id: failed,
      status: 'failed',
      error: 'Pendo returned 503',
    });
    expect(guides?.syncState?.cursor).toEqual({ timestamp: 1_685_322_552_149, id: 'c' });
    expect(status.recentRuns.map((run) => run.id)).toEqual([failed]);
    const pages = status.entities.find((entry) => entry.entity === 'pages');
    expect(pages).toMatchObject({ liveRows: 0, lastRun: null, syncState: null });
  });
});
