import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { EventStream } from '../../../src/events/streams';
import type { Simulator } from '../../../src/simulator/index';
import type { SyncHarness } from '../helpers';
import { startHarness } from '../helpers';
import type { TotalsByDay } from './helpers';
import { entriesOf, runEventSync, storedTotals, truthTotals } from './helpers';

const SINCE = Date.parse('2026-11-16T05:00:00Z');
const NOW = Date.parse('2026-11-22T15:00:00Z');
const SIMULATOR = {
  startTime: NOW,
  eventsStart: '2026-11-10T00:00:00Z',
  eventsPerDay: 600,
  sizes: { visitors: 200, accounts: 30 },
};

/** Returns the stored windows of a stream with the period each was read with. */
async function storedWindows(
  pool: pg.Pool,
  stream: EventStream,
): Promise<{ start: number; end: number; period: 'day' | 'hour' }[]> {
  const result = await pool.query<{ window_start: Date; window_end: Date; period: 'day' | 'hour' }>(
    'select window_start, window_end, period from sync_event_windows where stream = $1 order by 1',
    [stream],
  );
  return result.rows.map((row) => ({
    start: row.window_start.getTime(),
    end: row.window_end.getTime(),
    period: row.period,
  }));
}

/** Sums the simulator's rows of each stored window, read with the window's own period. */
async function truthOfWindows(
  pool: pg.Pool,
  simulator: Simulator,
  stream: EventStream,
): Promise<TotalsByDay> {
  const totals: TotalsByDay = new Map();
  for (const window of await storedWindows(pool, stream)) {
    const part = truthTotals(simulator, stream, window.start, window.end, window.period);
    for (const [key, value] of part) totals.set(key, value);
  }
  return totals;
}

describe('event windows Pendo answers with 408', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness(SIMULATOR);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('splits a timed-out day at once instead of retrying it', async () => {
    harness.simulator.injectFault({ path: 'aggregation', status: 408, times: 1 });
    const run = await runEventSync(harness, {
      since: SINCE,
      streams: ['page_events'],
    });
    expect(run.summary.status).toBe('completed');
    const timeouts = harness.simulator.requestLog.filter((entry) => entry.status === 408);
    expect(timeouts).toHaveLength(1);
    const windows = await storedWindows(harness.pool, 'page_events');
    expect(windows[0]?.period).toBe('hour');
    expect(windows.slice(1).every((window) => window.period === 'day')).toBe(true);
    expect(entriesOf(await storedTotals(harness.pool, 'page_events'))).toEqual(
      entriesOf(await truthOfWindows(harness.pool, harness.simulator, 'page_events')),
    );
  });
});

describe('event windows whose body breaks', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness(SIMULATOR);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('reads the window again and converges', async () => {
    harness.simulator.injectFault({ path: 'aggregation', resetAfterBytes: 3000, times: 2 });
    const run = await runEventSync(harness, { since: SINCE, streams: ['feature_events'] });
    expect(run.summary.status).toBe('completed');
    expect(harness.simulator.requestLog.filter((entry) => entry.fault).length).toBe(2);
    const windows = await storedWindows(harness.pool, 'feature_events');
    expect(windows.every((window) => window.period === 'day')).toBe(true);
    expect(entriesOf(await storedTotals(harness.pool, 'feature_events'))).toEqual(
      entriesOf(truthTotals(harness.simulator, 'feature_events', SINCE, NOW)),
    );
  });
});

describe('event windows over the aggregation size limit', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({ ...SIMULATOR, aggregationLimits: { maxRows: 40 } });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('reads them by the hour and converges to the truth', async () => {
    const streams = ['page_events', 'events', 'guide_events'] as const;
    const run = await runEventSync(harness, { since: SINCE, streams: [...streams] });
    expect(run.summary.status).toBe('completed');
    expect(harness.simulator.requestLog.some((entry) => entry.status === 408)).toBe(true);
    const hourly = (await storedWindows(harness.pool, 'page_events')).filter(
      (window) => window.period === 'hour',
    );
    expect(hourly.length).toBeGreaterThan(3);
    for (const stream of streams) {
      expect(entriesOf(await storedTotals(harness.pool, stream)), stream).toEqual(
        entriesOf(await truthOfWindows(harness.pool, harness.simulator, stream)),
      );
    }
  });
});

describe('a single hour over the aggregation size limit', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({ ...SIMULATOR, aggregationLimits: { maxRows: 1 } });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('fails the stream with a clear error', async () => {
    const run = await runEventSync(harness, { since: SINCE, streams: ['page_events'] });
    expect(run.summary.status).toBe('failed');
    const result = run.stream('page_events');
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/timed out reading page_events for the single hour/);
    expect(result.windowsRead).toBe(0);
  });
});
