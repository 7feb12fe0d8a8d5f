import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPendoClient } from '../../src/pendo/client';
import { createLimiter } from '../../src/pendo/limiter';
import type { FaultSpec, RequestLogEntry } from '../../src/simulator/index';
import type { RandomFaultOptions } from '../../src/simulator/http/random-faults';
import { Deadline } from '../../src/sync/deadline';
import { runSync } from '../../src/sync/run-sync';
import type { RunSummary } from '../../src/sync/run-sync';
import { CATALOG_ENTITIES } from '../../src/types';
import type { SyncHarness } from './helpers';
import { RecordingProgress, createRecordingLogger, liveIds, sorted, startHarness } from './helpers';

/** Client body idle timeout of these runs; `slowBodyMs` faults stall longer than this. */
const BODY_IDLE_TIMEOUT_MS = 300;
const STALL_MS = 1_000;

/** Page size small enough that every aggregation entity reads several pages. */
const PAGE_SIZE = 20;

interface BrokenRun {
  summary: RunSummary;
  logLines: string[];
}

/**
 * Runs a sync of every catalog entity against the harness, like runTestSync but with a short
 * body idle timeout, so a stalled body fails in milliseconds, and `maxAttempts` retries.
 */
async function runBrokenSync(harness: SyncHarness, maxAttempts = 4): Promise<BrokenRun> {
  const { logger, lines } = createRecordingLogger();
  const limiter = createLimiter(4);
  const summary = await runSync({
    pool: harness.pool,
    logger,
    deadline: new Deadline(undefined),
    progress: new RecordingProgress(),
    createPendoClient: (onRequest) =>
      createPendoClient({
        apiKey: harness.simulator.apiKey,
        baseUrl: harness.simulator.url,
        logger,
        limiter,
        onRequest,
        timeoutMs: 10_000,
        bodyIdleTimeoutMs: BODY_IDLE_TIMEOUT_MS,
        maxAttempts,
        retryBaseMs: 10,
        retryMaxMs: 50,
        retryAfterCapMs: 1_500,
      }),
    options: {
      entities: [...CATALOG_ENTITIES],
      full: false,
      appIds: 'all',
      pageSize: PAGE_SIZE,
      batchSize: 7,
      detectDeletions: true,
      maxAttempts,
    },
  });
  return { summary, logLines: lines };
}

/** Checks that every catalog table contains exactly the simulator's live ids, each once. */
async function expectConverged(harness: SyncHarness): Promise<void> {
  for (const entity of CATALOG_ENTITIES) {
    const truth = sorted(harness.simulator.truthIds(entity, { allApps: true }));
    expect(await liveIds(harness.pool, entity), entity).toEqual(truth);
    expect(new Set(truth).size, `${entity} truth ids are unique`).toBe(truth.length);
  }
}

/** Returns the request log entries that got an injected fault. */
function faulted(entries: RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((entry) => entry.fault !== undefined);
}

/** Changes a few records of several entities, so an incremental run has work to do. */
function mutate(harness: SyncHarness): void {
  harness.simulator.mutate({
    creates: { features: 3, guides: 2, segments: 1, reports: 1 },
    updates: { features: 4, guides: 2, pages: 3, reports: 2 },
    deletes: { features: 2, track_types: 1, segments: 1 },
  });
}

/** Counts the retry warnings of the engine and the client in a run's log. */
function retryLines(run: BrokenRun): string[] {
  return run.logLines.filter((line) => /retry \d+ of \d+/.test(line));
}

// Byte offsets stay below the 37 bytes of `{"startTime":…,"results":`, so even a count or an
// empty page breaks.
const FAULT_KINDS: { name: string; fault: Omit<FaultSpec, 'path'> }[] = [
  { name: 'truncated body', fault: { truncateAfterBytes: 30 } },
  { name: 'empty body', fault: { truncateAfterBytes: 0 } },
  { name: 'corrupt gzip', fault: { corruptGzipAfterBytes: 30 } },
  { name: 'stalled body', fault: { slowBodyMs: STALL_MS } },
  { name: 'reset connection', fault: { resetAfterBytes: 30 } },
  { name: 'firewall page', fault: { invalidJson: 'html' } },
  { name: 'garbage in array', fault: { invalidJson: 'garbage' } },
  { name: '408 timeout', fault: { status: 408 } },
  { name: '502 page', fault: { status: 502 } },
  { name: '503 page', fault: { status: 503 } },
  {
    name: '429 with date',
    fault: { status: 429, retryAfter: { seconds: 1, format: 'http-date' } },
  },
];

/**
 * Faults on the first aggregation requests of a run. Up to four of them hit the count
 * requests, which only feed progress, so at least two hit pages or id passes. Fewer than
 * MAX_ATTEMPTS, so no page can exhaust its retries.
 */
const AGGREGATION_FAULTS = 6;
const MAX_ATTEMPTS = 8;

/** Incremental runs with faults after the first, clean run. */
const ROUNDS = 2;

// Faults start after a clean first run; the first run's own faults are tested below.
describe.each(FAULT_KINDS)('sync through $name', ({ fault }) => {
  let harness: SyncHarness;
  let runs: BrokenRun[];
  let served: RequestLogEntry[];

  beforeAll(async () => {
    harness = await startHarness();
    const { simulator } = harness;
    await runBrokenSync(harness, MAX_ATTEMPTS);
    runs = [];
    served = [];
    for (let round = 0; round < ROUNDS; round++) {
      mutate(harness);
      simulator.injectFault({ path: 'aggregation', ...fault, times: AGGREGATION_FAULTS });
      simulator.injectFault({ path: 'report', ...fault });
      simulator.injectFault({ path: 'segment', ...fault });
      const before = simulator.requestLog.length;
      runs.push(await runBrokenSync(harness, MAX_ATTEMPTS));
      served.push(...faulted(simulator.requestLog.slice(before)));
    }
  }, 60_000);

  afterAll(async () => {
    await harness.close();
  });

  it('served every fault', () => {
    expect(served).toHaveLength(ROUNDS * (AGGREGATION_FAULTS + 2));
    expect(harness.simulator.requestLog.length).toBeGreaterThan(served.length);
  });

  it('completes every run', () => {
    for (const run of runs) {
      for (const result of run.summary.results) {
        expect(result.error, result.entity).toBeUndefined();
      }
      expect(run.summary.status).toBe('completed');
    }
  });

  it('retries the broken responses', () => {
    // Two list retries per run, and at least two aggregation retries.
    for (const run of runs) expect(retryLines(run).length).toBeGreaterThanOrEqual(4);
  });

  it('equals the simulator', async () => {
    await expectConverged(harness);
  });

  it('stores each record once', async () => {
    for (const entity of CATALOG_ENTITIES) {
      const live = await liveIds(harness.pool, entity);
      expect(new Set(live).size, entity).toBe(live.length);
    }
  });
});

describe('first full sync through broken responses', () => {
  let harness: SyncHarness;
  let run: BrokenRun;

  beforeAll(async () => {
    harness = await startHarness();
    // The first aggregation request of each entity's full pass requests the newest timestamp.
    harness.simulator.injectFault({ path: 'aggregation', truncateAfterBytes: 0, times: 4 });
    run = await runBrokenSync(harness, MAX_ATTEMPTS);
  }, 60_000);

  afterAll(async () => {
    await harness.close();
  });

  it('completes every entity', () => {
    for (const result of run.summary.results) {
      expect(result.error, result.entity).toBeUndefined();
    }
    expect(run.summary.status).toBe('completed');
  });

  it('retries the newest-timestamp query', () => {
    expect(run.logLines.some((line) => line.includes('newest timestamp'))).toBe(true);
  });

  it('equals the simulator', async () => {
    await expectConverged(harness);
  });
});

/** Starts the simulator's seeded random mode through its control endpoint. */
async function injectRandomFaults(harness: SyncHarness, options: RandomFaultOptions) {
  const response = await fetch(`${harness.simulator.url}/_simulator/faults/random`, {
    method: 'POST',
    body: JSON.stringify(options),
  });
  expect(response.status, await response.text()).toBe(200);
}

describe('sync through random faults', () => {
  let harness: SyncHarness;
  let runs: BrokenRun[];
  let served: RequestLogEntry[];

  beforeAll(async () => {
    harness = await startHarness();
    const { simulator } = harness;
    await runBrokenSync(harness, MAX_ATTEMPTS);
    await injectRandomFaults(harness, {
      seed: 'broken-responses',
      rate: 0.3,
      slowBodyMs: STALL_MS,
      maxOffsetBytes: 2_000,
      // Only the endpoints whose requests the engine retries.
      paths: ['aggregation', 'report', 'segment'],
      maxFaults: 40,
    });
    runs = [];
    served = [];
    for (let round = 0; round < 3; round++) {
      mutate(harness);
      const before = simulator.requestLog.length;
      runs.push(await runBrokenSync(harness, MAX_ATTEMPTS));
      served.push(...faulted(simulator.requestLog.slice(before)));
    }
    simulator.clearFaults();
  }, 120_000);

  afterAll(async () => {
    await harness.close();
  });

  it('served several kinds of fault', () => {
    expect(served.length).toBeGreaterThanOrEqual(10);
    expect(new Set(served.map((entry) => entry.fault)).size).toBeGreaterThanOrEqual(3);
  });

  it('completes every run', () => {
    for (const run of runs) {
      for (const result of run.summary.results) {
        expect(result.error, result.entity).toBeUndefined();
      }
      expect(run.summary.status).toBe('completed');
    }
  });

  it('equals the simulator', async () => {
    await expectConverged(harness);
  });
});
