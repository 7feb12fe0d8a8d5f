import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ABANDONED_RUN_ERROR,
  MAX_ERROR_LENGTH,
  failAbandonedRuns,
  finishRunEntity,
  formatRunError,
  recentRuns,
  startRunEntity,
  updateRunProgress,
} from '../../src/db/runs';
import { PendoApiError } from '../../src/errors';
import { registerSecret } from '../../src/log';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';

describe('run log', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  beforeEach(async () => {
    await database.pool.query('truncate sync_status');
  });

  it('starts a running entity', async () => {
    const runId = randomUUID();
    const id = await startRunEntity(database.pool, { runId, entity: 'guides', mode: 'full' });
    const [run] = await recentRuns(database.pool, 5);
    expect(run).toMatchObject({ id, runId, entity: 'guides', mode: 'full', status: 'running' });
    expect(run?.finishedAt).toBeNull();
    expect(run?.counts).toEqual({
      fetched: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      undeleted: 0,
      apiCalls: 0,
    });
  });

  it('stores progress counts', async () => {
    const id = await startRunEntity(database.pool, {
      runId: randomUUID(),
      entity: 'pages',
      mode: 'incremental',
    });
    await updateRunProgress(database.pool, id, { fetched: 500, inserted: 20, apiCalls: 3 });
    await updateRunProgress(database.pool, id, { fetched: 900 });
    const [run] = await recentRuns(database.pool, 1);
    expect(run?.counts).toMatchObject({ fetched: 900, inserted: 20, apiCalls: 3, updated: 0 });
    expect(run?.status).toBe('running');
  });

  it('finishes with counts and cursor', async () => {
    const id = await startRunEntity(database.pool, {
      runId: randomUUID(),
      entity: 'features',
      mode: 'incremental',
    });
    await finishRunEntity(database.pool, id, {
      status: 'completed',
      counts: {
        fetched: 10,
        inserted: 4,
        updated: 3,
        unchanged: 3,
        deleted: 1,
        undeleted: 2,
        apiCalls: 2,
      },
      cursor: { timestamp: 1_685_322_552_149, id: 'abc' },
    });
    const [run] = await recentRuns(database.pool, 1);
    expect(run?.status).toBe('completed');
    expect(run?.finishedAt).toBeInstanceOf(Date);
    expect(run?.error).toBeNull();
    expect(run?.cursor).toEqual({ timestamp: 1_685_322_552_149, id: 'abc' });
    expect(run?.counts).toEqual({
      fetched: 10,
      inserted: 4,
      updated: 3,
      unchanged: 3,
      deleted: 1,
      undeleted: 2,
      apiCalls: 2,
    });
  });

  it('stores a failure with secrets redacted', async () => {
    registerSecret('s3cr3t-integration-key');
    const id = await startRunEntity(database.pool, {
      runId: randomUUID(),
      entity: 'reports',
      mode: 'full',
    });
    await finishRunEntity(database.pool, id, {
      status: 'failed',
      counts: {},
      error: new Error('request with key s3cr3t-integration-key failed'),
    });
    const [run] = await recentRuns(database.pool, 1);
    expect(run?.status).toBe('failed');
    expect(run?.error).toBe('request with key [redacted] failed');
  });

  it('truncates a long error', async () => {
    const id = await startRunEntity(database.pool, {
      runId: randomUUID(),
      entity: 'reports',
      mode: 'full',
    });
    await finishRunEntity(database.pool, id, {
      status: 'partial',
      counts: {},
      error: 'x'.repeat(10_000),
    });
    const [run] = await recentRuns(database.pool, 1);
    expect(run?.error?.length).toBe(MAX_ERROR_LENGTH);
    expect(run?.error?.endsWith('…')).toBe(true);
  });

  it('rejects running as a final status', async () => {
    const id = await startRunEntity(database.pool, {
      runId: randomUUID(),
      entity: 'guides',
      mode: 'full',
    });
    await expect(
      finishRunEntity(database.pool, id, { status: 'running' as 'failed', counts: {} }),
    ).rejects.toThrow(/Invalid final run status/);
  });

  it('fails abandoned runs only', async () => {
    const runId = randomUUID();
    const running = await startRunEntity(database.pool, { runId, entity: 'guides', mode: 'full' });
    const finished = await startRunEntity(database.pool, { runId, entity: 'pages', mode: 'full' });
    await finishRunEntity(database.pool, finished, { status: 'completed', counts: {} });
    expect(await failAbandonedRuns(database.pool)).toBe(1);
    const runs = await recentRuns(database.pool, 10);
    const byId = new Map(runs.map((run) => [run.id, run]));
    expect(byId.get(running)).toMatchObject({ status: 'failed', error: ABANDONED_RUN_ERROR });
    expect(byId.get(running)?.finishedAt).toBeInstanceOf(Date);
    expect(byId.get(finished)).toMatchObject({ status: 'completed', error: null });
    expect(await failAbandonedRuns(database.pool)).toBe(0);
  });

  it('lists recent runs newest first', async () => {
    const runId = randomUUID();
    const ids: number[] = [];
    for (const entity of ['guides', 'features', 'pages'] as const) {
      ids.push(await startRunEntity(database.pool, { runId, entity, mode: 'incremental' }));
    }
    const runs = await recentRuns(database.pool, 2);
    expect(runs.map((run) => run.id)).toEqual([ids[2], ids[1]]);
  });

  it('rejects an unknown mode', async () => {
    await expect(
      startRunEntity(database.pool, {
        runId: randomUUID(),
        entity: 'guides',
        mode: 'sideways' as 'full',
      }),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('formatRunError', () => {
  it('names a lost database connection', () => {
    const error = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(formatRunError(error)).toBe(
      'the database connection was lost: terminating connection due to administrator command',
    );
  });

  it('leaves a serialization failure as it is', () => {
    const error = Object.assign(new Error('could not serialize access'), { code: '40001' });
    expect(formatRunError(error)).toBe('could not serialize access');
  });

  it('leaves a Pendo network error as it is', () => {
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const error = new PendoApiError('reading Pendo failed: read ECONNRESET', {
      url: 'https://app.pendo.io/api/v1/aggregation',
      retryable: true,
      cause,
    });
    expect(formatRunError(error)).toBe('reading Pendo failed: read ECONNRESET');
  });
});
