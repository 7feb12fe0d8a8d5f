import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncHarness, TestSyncRun } from './helpers';
import { liveIds, rowCount, runTestSync, sorted, startHarness } from './helpers';

const GUIDES = 300;
const BATCH_SIZE = 30;
const SHORT_RUNS = 3;

describe('time limit shorter than setup', () => {
  let harness: SyncHarness;
  const runs: TestSyncRun[] = [];
  let finalRun: TestSyncRun;

  beforeAll(async () => {
    harness = await startHarness({ sizes: { guides: GUIDES } });
    for (let run = 0; run < SHORT_RUNS; run++) {
      // A slow first request, like a count over a large catalog, uses up the whole time limit.
      harness.simulator.injectFault({ path: 'aggregation', delayMs: 400 });
      runs.push(
        await runTestSync(harness, {
          entities: ['guides'],
          pageSize: 100,
          batchSize: BATCH_SIZE,
          maxDurationMs: 300,
        }),
      );
    }
    finalRun = await runTestSync(harness, { entities: ['guides'] });
  }, 60_000);

  afterAll(async () => {
    await harness.close();
  });

  it('stops each short run early', () => {
    for (const run of runs) expect(run.result('guides').status).toBe('partial');
  });

  it('commits one batch per run', () => {
    for (const run of runs) expect(run.result('guides').counts.fetched).toBe(BATCH_SIZE);
  });

  it('keeps the committed batches', () => {
    // The final run resumed the full pass, so it read only what the short runs left.
    expect(finalRun.result('guides').counts.fetched).toBe(GUIDES - SHORT_RUNS * BATCH_SIZE);
  });

  it('completes without a limit', async () => {
    expect(finalRun.summary.status).toBe('completed');
    expect(await rowCount(harness.pool, 'guides')).toBe(GUIDES);
    const expected = sorted(harness.simulator.truthIds('guides', { allApps: true }));
    expect(await liveIds(harness.pool, 'guides')).toEqual(expected);
  });
});
