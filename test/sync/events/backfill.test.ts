import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_STREAMS } from '../../../src/events/streams';
import type { SyncHarness } from '../helpers';
import { runLog, startHarness } from '../helpers';
import {
  countRows,
  entriesOf,
  rowVersions,
  runEventSync,
  storedTotals,
  truthTotals,
} from './helpers';

const SINCE = Date.parse('2026-11-01T04:00:00Z'); // midnight of 2026-11-01 in New York
const NOW = Date.parse('2026-11-22T17:30:00Z');

describe('event stream backfill', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({
      startTime: NOW,
      eventsStart: '2026-10-25T00:00:00Z',
      eventsPerDay: 300,
      sizes: { visitors: 200, accounts: 30 },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('stores every stream and app as the simulator has them', async () => {
    const run = await runEventSync(harness, { since: SINCE });
    expect(run.summary.status).toBe('completed');
    for (const stream of EVENT_STREAMS) {
      const result = run.stream(stream);
      expect(result.status, `${stream}: ${result.error}`).toBe('completed');
      expect(result.mode, stream).toBe('backfill');
      expect(result.windowsRead, stream).toBe(22);
      const truth = truthTotals(harness.simulator, stream, SINCE, NOW);
      expect(truth.size, stream).toBeGreaterThan(40);
      expect(entriesOf(await storedTotals(harness.pool, stream)), stream).toEqual(entriesOf(truth));
      expect(result.counts.inserted, stream).toBe(await countRows(harness.pool, stream));
    }
  });

  it('rewrites no row when the same windows are read again', async () => {
    const before = new Map(
      await Promise.all(
        EVENT_STREAMS.map(
          async (stream) => [stream, await rowVersions(harness.pool, stream)] as const,
        ),
      ),
    );
    const run = await runEventSync(harness, { since: SINCE });
    expect(run.summary.status).toBe('completed');
    for (const stream of EVENT_STREAMS) {
      const result = run.stream(stream);
      expect(result.mode, stream).toBe('incremental');
      // The windows within the two-day lookback are read again: today, and the two before.
      expect(result.windowsRead, stream).toBe(3);
      expect(result.counts.inserted, stream).toBe(0);
      expect(result.counts.deleted, stream).toBe(0);
      expect(result.counts.unchanged, stream).toBeGreaterThan(0);
      expect(await rowVersions(harness.pool, stream), stream).toEqual(before.get(stream));
    }
    const log = await runLog(harness.pool, run.summary.runId);
    expect(log.map((row) => row.entity).sort()).toEqual([...EVENT_STREAMS].sort());
    for (const row of log) {
      expect(row.status, row.entity).toBe('completed');
      expect(row.mode, row.entity).toBe('incremental');
      expect(Number(row.inserted), row.entity).toBe(0);
      expect(Number(row.api_calls), row.entity).toBeGreaterThanOrEqual(3);
    }
  });
});
