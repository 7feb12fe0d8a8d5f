import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/simulator/index';
import { CATALOG_ENTITIES } from '../../src/types';
import type { CatalogEntity } from '../../src/types';
import type { SyncHarness, TestSyncRun } from './helpers';
import {
  deletedIds,
  liveIds,
  rowCount,
  runLog,
  runTestSync,
  sorted,
  startHarness,
  tableRows,
  truthById,
} from './helpers';

/** Returns the aggregation requests that read pages of `source` (their last stage is `limit`). */
function pageRequests(entries: RequestLogEntry[], source: string): RequestLogEntry[] {
  return entries.filter(
    (entry) => entry.pipeline?.source === source && entry.pipeline.operators.at(-1) === 'limit',
  );
}

/** Checks that the live rows of `entity` are exactly the simulator's records, raw included. */
async function expectEqualToTruth(harness: SyncHarness, entity: CatalogEntity): Promise<void> {
  const truth = await truthById(harness.simulator, entity);
  const rows = await tableRows(harness.pool, entity);
  expect(await liveIds(harness.pool, entity)).toEqual(sorted(truth.keys()));
  for (const [id, record] of truth) expect(rows.get(id)?.raw, id).toEqual(record);
}

describe('duplicate ids in a response', () => {
  const DUPLICATES = 4;
  let harness: SyncHarness;
  let aggregationRun: TestSyncRun;
  let aggregationPages: RequestLogEntry[];
  let listRun: TestSyncRun;
  let idPassRun: TestSyncRun;

  beforeAll(async () => {
    harness = await startHarness();
    // Every page of 20 arrives as 24 records, and one batch contains the whole page.
    harness.simulator.injectFault({ path: 'aggregation', duplicateRecords: DUPLICATES, times: 50 });
    aggregationRun = await runTestSync(harness, {
      entities: ['features'],
      pageSize: 20,
      batchSize: 1000,
    });
    aggregationPages = pageRequests(harness.simulator.requestLog, 'features');
    harness.simulator.clearFaults();
    // The list arrives with its first records repeated at the end, in later batches of 4.
    harness.simulator.injectFault({ path: 'report', duplicateRecords: DUPLICATES });
    listRun = await runTestSync(harness, { entities: ['reports'], batchSize: 4 });
    // The id-only deletion check of an incremental run receives repeated ids too.
    harness.simulator.injectFault({ path: 'aggregation', duplicateRecords: DUPLICATES, times: 50 });
    idPassRun = await runTestSync(harness, { entities: ['features'] });
    harness.simulator.clearFaults();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('completes the aggregation pass', () => {
    expect(aggregationRun.summary.status).toBe('completed');
    expect(aggregationRun.result('features').error).toBeUndefined();
  });

  it('received the repeated records', () => {
    const modified = aggregationPages.filter((entry) => entry.fault === 'modified');
    expect(modified.length).toBe(aggregationPages.length);
    const total = harness.simulator.truthIds('features', { allApps: true }).length;
    const counts = aggregationRun.result('features').counts;
    expect(counts.fetched).toBe(total + DUPLICATES * modified.length);
  });

  it('inserts each feature once', async () => {
    const total = harness.simulator.truthIds('features', { allApps: true }).length;
    const counts = aggregationRun.result('features').counts;
    expect(counts.inserted).toBe(total);
    expect(counts.updated).toBe(0);
    expect(counts.deleted).toBe(0);
    expect(await rowCount(harness.pool, 'features')).toBe(total);
    await expectEqualToTruth(harness, 'features');
  });

  it('completes the list pass', () => {
    expect(listRun.summary.status).toBe('completed');
    const total = harness.simulator.truthIds('reports').length;
    const counts = listRun.result('reports').counts;
    expect(counts.fetched).toBe(total + DUPLICATES);
    expect(counts.inserted).toBe(total);
    expect(counts.unchanged).toBe(DUPLICATES);
    expect(counts.deleted).toBe(0);
  });

  it('inserts each report once', async () => {
    expect(await rowCount(harness.pool, 'reports')).toBe(
      harness.simulator.truthIds('reports').length,
    );
    await expectEqualToTruth(harness, 'reports');
  });

  it('deletes nothing on repeated ids', async () => {
    expect(idPassRun.summary.status).toBe('completed');
    expect(idPassRun.result('features').mode).toBe('incremental');
    expect(idPassRun.result('features').counts.deleted).toBe(0);
    expect(await deletedIds(harness.pool, 'features')).toEqual([]);
  });
});

describe('rejected integration key', () => {
  const WRONG_KEY = 'f00dcafe-1234-4bad-9e11-c0ffee0ddba1';
  let harness: SyncHarness;
  let run: TestSyncRun;

  beforeAll(async () => {
    harness = await startHarness();
    run = await runTestSync(harness, { apiKey: WRONG_KEY });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('fails the run', () => {
    expect(run.summary.status).toBe('failed');
  });

  it.each(CATALOG_ENTITIES)('fails %s with a key hint', (entity) => {
    const result = run.result(entity);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('403');
    expect(result.error).toContain('PENDO_API_KEY');
    expect(result.error).toContain('PENDO_REGION');
    expect(result.error).not.toContain(WRONG_KEY);
  });

  it('got 403 from the simulator', () => {
    const statuses = new Set(harness.simulator.requestLog.map((entry) => entry.status));
    expect([...statuses]).toEqual([403]);
  });

  it('writes no rows', async () => {
    for (const entity of CATALOG_ENTITIES) {
      expect(await rowCount(harness.pool, entity), entity).toBe(0);
    }
  });

  it('logs failed rows without the key', async () => {
    const rows = await runLog(harness.pool, run.summary.runId);
    expect(rows).toHaveLength(CATALOG_ENTITIES.length);
    for (const row of rows) {
      expect(row.status, row.entity).toBe('failed');
      expect(row.error, row.entity).toContain('PENDO_API_KEY');
      expect(JSON.stringify(row), row.entity).not.toContain(WRONG_KEY);
    }
  });

  it('keeps the key out of log lines', () => {
    expect(run.logLines.length).toBeGreaterThan(0);
    const leaking = run.logLines.filter((line) => line.includes(WRONG_KEY));
    expect(leaking).toEqual([]);
  });
});

describe('429 with Retry-After', () => {
  let harness: SyncHarness;
  let run: TestSyncRun;
  let aggregation: RequestLogEntry[];

  beforeAll(async () => {
    harness = await startHarness();
    harness.simulator.injectFault({
      path: 'aggregation',
      status: 429,
      headers: { 'Retry-After': '1' },
    });
    run = await runTestSync(harness, { entities: ['guides'] });
    aggregation = harness.simulator.requestLog.filter(
      (entry) => entry.path === '/api/v1/aggregation',
    );
  });

  afterAll(async () => {
    await harness.close();
  });

  it('completes after the retry', async () => {
    expect(run.summary.status).toBe('completed');
    await expectEqualToTruth(harness, 'guides');
  });

  it('logs the 429 then a 200', () => {
    expect(aggregation[0]?.status).toBe(429);
    expect(aggregation[0]?.fault).toBe('429');
    expect(aggregation[1]?.status).toBe(200);
    expect(aggregation.filter((entry) => entry.status === 429)).toHaveLength(1);
  });

  it('waits the Retry-After second', () => {
    const first = aggregation[0]?.receivedAt ?? 0;
    const retry = aggregation[1]?.receivedAt ?? 0;
    // The client's own backoff is at most 50 ms here, so a shorter wait ignored the header.
    expect(retry - first).toBeGreaterThanOrEqual(950);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(1000);
  });

  it('counts the retry as a call', () => {
    expect(run.result('guides').counts.apiCalls).toBe(aggregation.length);
  });

  it('logs the retry as a warning', () => {
    const retries = run.logLines.filter((line) => line.includes('"msg":"retry 1 of 3'));
    expect(retries).toHaveLength(1);
  });
});

describe('connection reset mid-page', () => {
  const GUIDES = 300;
  const PAGE_SIZE = 150;
  const BATCH_SIZE = 20;
  /** About 60 guides of some 4.8 KB each, so a few batches commit before the reset. */
  const RESET_AFTER_BYTES = 300_000;
  let harness: SyncHarness;
  let fullRun: TestSyncRun;
  let fullPages: RequestLogEntry[];
  let updated: string[];
  let incrementalRun: TestSyncRun;
  let incrementalPages: RequestLogEntry[];
  let listRun: TestSyncRun;

  beforeAll(async () => {
    harness = await startHarness({ sizes: { guides: GUIDES, reports: 30 } });
    const options = {
      entities: ['guides'] as CatalogEntity[],
      pageSize: PAGE_SIZE,
      batchSize: BATCH_SIZE,
    };

    // A full pass sends the newest-timestamp and count requests before its first page.
    harness.simulator.injectFault({
      path: 'aggregation',
      resetAfterBytes: RESET_AFTER_BYTES,
      times: 3,
    });
    let logStart = harness.simulator.requestLog.length;
    fullRun = await runTestSync(harness, options);
    fullPages = pageRequests(harness.simulator.requestLog.slice(logStart), 'guides');

    // An incremental pass sends the count request before its first page.
    updated = harness.simulator.mutate({ updates: { guides: 250 } }).changes.guides?.updated ?? [];
    harness.simulator.injectFault({
      path: 'aggregation',
      resetAfterBytes: RESET_AFTER_BYTES,
      times: 2,
    });
    logStart = harness.simulator.requestLog.length;
    incrementalRun = await runTestSync(harness, options);
    incrementalPages = pageRequests(harness.simulator.requestLog.slice(logStart), 'guides');

    harness.simulator.injectFault({ path: 'report', resetAfterBytes: 5000 });
    listRun = await runTestSync(harness, { entities: ['reports'], batchSize: 2 });
  }, 60_000);

  afterAll(async () => {
    await harness.close();
  });

  it('completes the full pass', () => {
    expect(fullRun.summary.status).toBe('completed');
    expect(fullRun.result('guides').mode).toBe('full');
  });

  it('retries the broken page once', () => {
    const retries = fullRun.logLines.filter((line) => line.includes('page failed, retry 1 of 3'));
    expect(retries).toHaveLength(1);
    expect(fullPages[0]?.fault).toBe('modified');
    expect(fullPages[0]?.bytes).toBe(RESET_AFTER_BYTES);
    expect(fullPages[1]?.fault).toBeUndefined();
  });

  it('inserts each guide once', () => {
    const counts = fullRun.result('guides').counts;
    expect(counts.inserted).toBe(GUIDES);
    expect(counts.updated).toBe(0);
    expect(counts.fetched).toBeGreaterThanOrEqual(GUIDES);
  });

  it('completes the incremental pass', async () => {
    expect(incrementalRun.summary.status).toBe('completed');
    expect(incrementalRun.result('guides').mode).toBe('incremental');
    const counts = incrementalRun.result('guides').counts;
    expect(counts.updated).toBe(250);
    expect(counts.deleted).toBe(0);
    expect(incrementalPages[0]?.fault).toBe('modified');
    expect(incrementalPages.length).toBeGreaterThanOrEqual(3);
    const rows = await tableRows(harness.pool, 'guides');
    const truth = await truthById(harness.simulator, 'guides');
    for (const id of sorted(updated)) expect(rows.get(id)?.raw, id).toEqual(truth.get(id));
  });

  it('converges guides to the truth', async () => {
    await expectEqualToTruth(harness, 'guides');
    expect(await deletedIds(harness.pool, 'guides')).toEqual([]);
  });

  it('restarts a broken list', async () => {
    expect(listRun.summary.status).toBe('completed');
    const retries = listRun.logLines.filter((line) =>
      line.includes('response failed, retry 1 of 3'),
    );
    expect(retries).toHaveLength(1);
    const total = harness.simulator.truthIds('reports').length;
    expect(listRun.result('reports').counts.inserted).toBe(total);
    expect(listRun.result('reports').counts.deleted).toBe(0);
    await expectEqualToTruth(harness, 'reports');
  });
});
