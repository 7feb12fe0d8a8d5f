import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_STREAMS } from '../../../src/events/streams';
import type { SyncHarness } from '../helpers';
import { runLog, startHarness } from '../helpers';
import { entriesOf, runEventSync, storedTotals, truthTotals } from './helpers';

const SINCE = Date.parse('2026-11-10T05:00:00Z');
const NOW = Date.parse('2026-11-22T15:00:00Z');

describe('event sync time limit', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({
      startTime: NOW,
      eventsStart: '2026-11-01T00:00:00Z',
      eventsPerDay: 200,
      sizes: { visitors: 200, accounts: 30 },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('stops between windows and records a partial run', async () => {
    const run = await runEventSync(harness, { since: SINCE }, { maxDurationMs: 1 });
    expect(run.summary.status).toBe('partial');
    for (const stream of EVENT_STREAMS) {
      const result = run.stream(stream);
      expect(result.status, stream).toBe('partial');
      expect(result.windowsRead, stream).toBe(1);
      expect(result.windowsPlanned, stream).toBe(13);
      expect(result.stoppedBecause, stream).toMatch(/max-duration/);
    }
    const windows = await harness.pool.query<{ count: string }>(
      'select count(*) as count from sync_event_windows',
    );
    expect(Number(windows.rows[0]?.count)).toBe(EVENT_STREAMS.length);
    const log = await runLog(harness.pool, run.summary.runId);
    for (const row of log) {
      expect(row.status, row.entity).toBe('partial');
      expect(row.mode, row.entity).toBe('backfill');
      expect(row.error, row.entity).toMatch(/stopped early/);
    }
  });

  it('resumes on the next run and converges', async () => {
    const run = await runEventSync(harness, { since: SINCE });
    expect(run.summary.status).toBe('completed');
    for (const stream of EVENT_STREAMS) {
      const result = run.stream(stream);
      expect(result.mode, stream).toBe('backfill');
      // The 12 windows left, then the first window again, which is still inside the lookback.
      expect(result.windowsRead, stream).toBe(12);
      const truth = truthTotals(harness.simulator, stream, SINCE, NOW);
      expect(entriesOf(await storedTotals(harness.pool, stream)), stream).toEqual(entriesOf(truth));
    }
  });
});
