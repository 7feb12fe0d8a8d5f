// A list pass that has read its whole response completes and marks deletions even when the
// deadline passed during the read, because the list cannot resume part-way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MutationSummary } from '../../src/simulator/index';
import type { SyncHarness, TestSyncRun } from './helpers';
import { changedIds, deletedIds, runTestSync, startHarness } from './helpers';

describe('slow list under a time limit', () => {
  let harness: SyncHarness;
  let mutation: MutationSummary;
  let run: TestSyncRun;

  beforeAll(async () => {
    harness = await startHarness();
    await runTestSync(harness, { entities: ['reports'] });
    mutation = harness.simulator.mutate({ deletes: { reports: 2 } });
    // The whole list arrives in one batch, but only after the time limit has passed.
    harness.simulator.injectFault({ path: 'report', delayMs: 400 });
    run = await runTestSync(harness, { entities: ['reports'], maxDurationMs: 300 });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('read the whole list', () => {
    expect(run.result('reports').counts.fetched).toBe(harness.simulator.truthIds('reports').length);
  });

  it('completes the pass', () => {
    expect(run.result('reports').status).toBe('completed');
  });

  it('marks the deleted reports', async () => {
    expect(run.result('reports').counts.deleted).toBe(2);
    expect(await deletedIds(harness.pool, 'reports')).toEqual(
      changedIds(mutation.changes, 'reports', 'deleted'),
    );
  });
});
