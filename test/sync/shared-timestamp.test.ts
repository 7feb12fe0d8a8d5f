import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSyncState } from '../../src/db/cursors';
import type { MutationSummary } from '../../src/simulator/index';
import type { SyncHarness, TestSyncRun } from './helpers';
import { liveIds, rowVersions, runTestSync, sorted, startHarness, tableRows } from './helpers';

const GUIDES = 500;
const PAGE_SIZE = 100;
/** Not a divisor of the page size, so batches end in the middle of pages. */
const BATCH_SIZE = 30;

/** Pages of one keyset pass over `records` records: every full page, then one short page. */
function expectedPages(records: number): number {
  return Math.floor(records / PAGE_SIZE) + 1;
}

describe('records sharing one timestamp', () => {
  let harness: SyncHarness;
  let initialTimestamps: Set<unknown>;
  const pageRequests: number[] = [];
  const runs: TestSyncRun[] = [];
  let mutation: MutationSummary;
  let versionsBeforeUpdate: Map<string, string>;

  /** Runs a guides-only sync and records how many aggregation pages it requested. */
  async function syncGuides(): Promise<TestSyncRun> {
    const logStart = harness.simulator.requestLog.length;
    const run = await runTestSync(harness, {
      entities: ['guides'],
      pageSize: PAGE_SIZE,
      batchSize: BATCH_SIZE,
    });
    const pages = harness.simulator.requestLog
      .slice(logStart)
      .filter(
        (entry) =>
          entry.pipeline?.source === 'guides' && entry.pipeline.operators.at(-1) === 'limit',
      );
    pageRequests.push(pages.length);
    runs.push(run);
    return run;
  }

  beforeAll(async () => {
    harness = await startHarness({
      sizes: { guides: GUIDES },
      sharedTimestamps: { guides: GUIDES },
    });
    initialTimestamps = new Set();
    for await (const record of harness.simulator.truth('guides', { allApps: true })) {
      initialTimestamps.add(record.lastUpdatedAt);
    }
    // First run: a full pass. Second: an incremental pass that starts at the shared timestamp.
    await syncGuides();
    await syncGuides();
    versionsBeforeUpdate = await rowVersions(harness.pool, 'guides');
    mutation = harness.simulator.setSharedTimestamp('guides', GUIDES);
    // Third: every guide changed to one new shared timestamp. Fourth: nothing changed.
    await syncGuides();
    await syncGuides();
  }, 60_000);

  afterAll(async () => {
    await harness.close();
  });

  it('starts with one shared timestamp', () => {
    expect(harness.simulator.truthIds('guides', { allApps: true })).toHaveLength(GUIDES);
    expect(initialTimestamps.size).toBe(1);
  });

  it('completes every run', () => {
    expect(runs.map((run) => run.summary.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    expect(runs.map((run) => run.result('guides').mode)).toEqual([
      'full',
      'incremental',
      'incremental',
      'incremental',
    ]);
  });

  it('reads each guide once in full', () => {
    const counts = runs[0]?.result('guides').counts;
    expect(counts?.fetched).toBe(GUIDES);
    expect(counts?.inserted).toBe(GUIDES);
    expect(pageRequests[0]).toBe(expectedPages(GUIDES));
  });

  it('rereads the shared timestamp once', () => {
    // The full pass leaves the cursor before every record of the newest timestamp.
    const counts = runs[1]?.result('guides').counts;
    expect(counts?.fetched).toBe(GUIDES);
    expect(counts?.unchanged).toBe(GUIDES);
    expect(counts?.updated).toBe(0);
    expect(pageRequests[1]).toBe(expectedPages(GUIDES));
  });

  it('updates every guide once', () => {
    const counts = runs[2]?.result('guides').counts;
    expect(mutation.changes.guides?.updated).toHaveLength(GUIDES);
    expect(counts?.fetched).toBe(GUIDES);
    expect(counts?.updated).toBe(GUIDES);
    expect(counts?.unchanged).toBe(0);
    expect(counts?.inserted).toBe(0);
    expect(pageRequests[2]).toBe(expectedPages(GUIDES));
  });

  it('rewrites every guide row', async () => {
    const after = await rowVersions(harness.pool, 'guides');
    const unchanged = [...after].filter(
      ([id, version]) => versionsBeforeUpdate.get(id) === version,
    );
    expect(unchanged).toEqual([]);
  });

  it('stores the new timestamp', async () => {
    const rows = await tableRows(harness.pool, 'guides');
    const stale = [...rows.values()]
      .filter((row) => (row.last_updated_at as Date).getTime() !== mutation.lastTimestamp)
      .map((row) => row.id);
    expect(stale).toEqual([]);
    expect(mutation.firstTimestamp).toBe(mutation.lastTimestamp);
  });

  it('ends at the last shared record', async () => {
    const state = await loadSyncState(harness.pool, 'guides');
    const ids = sorted(harness.simulator.truthIds('guides', { allApps: true }));
    expect(state.cursor).toEqual({ timestamp: mutation.lastTimestamp, id: ids.at(-1) });
  });

  it('reads nothing after the update', () => {
    expect(runs[3]?.result('guides').counts.fetched).toBe(0);
    expect(pageRequests[3]).toBe(1);
  });

  it('keeps ids equal to truth', async () => {
    const expected = sorted(harness.simulator.truthIds('guides', { allApps: true }));
    expect(await liveIds(harness.pool, 'guides')).toEqual(expected);
  });
});
