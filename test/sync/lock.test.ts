import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncLockedError } from '../../src/errors';
import type { SyncHarness, TestSyncRun } from './helpers';
import { runTestSync, startHarness } from './helpers';

/** Returns how a promise settled, without throwing. */
async function settle<T>(
  promise: Promise<T>,
): Promise<{ value: T; error?: undefined } | { value?: undefined; error: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

/** Waits (at most 10 s) until a run has logged a row, which it does only after taking the lock. */
async function waitForRunRow(harness: SyncHarness): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const rows = await harness.pool.query('select 1 from sync_status');
    if ((rows.rowCount ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out after 10 s waiting for the first sync to log a run');
}

describe('sync lock', () => {
  let harness: SyncHarness;
  let first: TestSyncRun;
  let second: Awaited<ReturnType<typeof settle<TestSyncRun>>>;
  let runIdsDuringFirst: string[];
  let third: TestSyncRun;

  beforeAll(async () => {
    harness = await startHarness();
    // A slow first response keeps the first sync, and its lock, busy for a second.
    harness.simulator.injectFault({ path: 'aggregation', delayMs: 1000 });
    const running = runTestSync(harness, { entities: ['guides'] });
    await waitForRunRow(harness);
    second = await settle(runTestSync(harness, { entities: ['guides'] }));
    const rows = await harness.pool.query<{ run_id: string }>(
      'select distinct run_id from sync_status',
    );
    runIdsDuringFirst = rows.rows.map((row) => row.run_id);
    first = await running;
    third = await runTestSync(harness, { entities: ['guides'] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('rejects the second sync', () => {
    expect(second.error).toBeInstanceOf(SyncLockedError);
    expect((second.error as Error).message).toContain('another pendo-sync sync is running');
  });

  it('logs no run for it', () => {
    expect(runIdsDuringFirst).toEqual([first.summary.runId]);
  });

  it('lets the first finish', () => {
    expect(first.summary.status).toBe('completed');
  });

  it('releases the lock afterwards', () => {
    expect(third.summary.status).toBe('completed');
    expect(third.result('guides').mode).toBe('incremental');
  });
});
