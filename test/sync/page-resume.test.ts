import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/simulator/index';
import type { SyncHarness, TestSyncRun } from './helpers';
import { liveIds, runTestSync, sorted, startHarness } from './helpers';

const GUIDES = 300;
const PAGE_SIZE = 150;
const BATCH_SIZE = 20;
/** About 60 guides of some 4.8 KB each, so a few batches commit before the reset. */
const RESET_AFTER_BYTES = 300_000;

function pageRequests(entries: RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter(
    (entry) => entry.pipeline?.source === 'guides' && entry.pipeline.operators.at(-1) === 'limit',
  );
}

describe('page resume after a reset', () => {
  let harness: SyncHarness;
  let run: TestSyncRun;
  let pages: RequestLogEntry[];

  beforeAll(async () => {
    harness = await startHarness({ sizes: { guides: GUIDES } });
    // The newest-timestamp and count requests come first, so the third request is page 1.
    harness.simulator.injectFault({
      path: 'aggregation',
      resetAfterBytes: RESET_AFTER_BYTES,
      times: 3,
    });
    run = await runTestSync(harness, {
      entities: ['guides'],
      pageSize: PAGE_SIZE,
      batchSize: BATCH_SIZE,
    });
    pages = pageRequests(harness.simulator.requestLog);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('breaks the first page', () => {
    expect(run.summary.status).toBe('completed');
    expect(pages[0]?.fault).toBe('modified');
    expect(pages[0]?.bytes).toBe(RESET_AFTER_BYTES);
  });

  it('starts the retry after committed ids', () => {
    expect(pages[0]?.pipeline?.operators).not.toContain('filter');
    expect(pages[1]?.pipeline?.operators).toContain('filter');
  });

  it('reads each guide once', () => {
    const counts = run.result('guides').counts;
    expect(counts.fetched).toBe(GUIDES);
    expect(counts.unchanged).toBe(0);
  });
});

describe('pages that always break', () => {
  let harness: SyncHarness;
  let run: TestSyncRun;

  beforeAll(async () => {
    harness = await startHarness({ sizes: { guides: GUIDES } });
    // Like a proxy that cuts every response after the same number of bytes.
    harness.simulator.injectFault({
      path: 'aggregation',
      resetAfterBytes: RESET_AFTER_BYTES,
      times: 30,
    });
    run = await runTestSync(harness, {
      entities: ['guides'],
      pageSize: PAGE_SIZE,
      batchSize: BATCH_SIZE,
    });
  }, 60_000);

  afterAll(async () => {
    await harness.close();
  });

  it('still completes the full pass', async () => {
    expect(run.result('guides').error).toBeUndefined();
    expect(run.summary.status).toBe('completed');
    const expected = sorted(harness.simulator.truthIds('guides', { allApps: true }));
    expect(await liveIds(harness.pool, 'guides')).toEqual(expected);
  });
});
