import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncHarness } from '../helpers';
import { startHarness } from '../helpers';
import { entriesOf, runEventSync, storedTotals, truthTotals } from './helpers';

const SINCE = Date.parse('2026-11-15T05:00:00Z');
const NOW = Date.parse('2026-11-22T22:00:00Z');
const HOUR_MS = 3_600_000;
const STREAMS = ['page_events', 'events', 'guide_events'] as const;

describe('late event rows', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({
      startTime: NOW,
      eventsStart: '2026-11-10T00:00:00Z',
      eventsPerDay: 2000,
      eventLagMs: 4 * HOUR_MS,
      sizes: { visitors: 200, accounts: 30 },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('stores the rows visible at the first run', async () => {
    const run = await runEventSync(harness, { since: SINCE, streams: [...STREAMS] });
    expect(run.summary.status).toBe('completed');
    for (const stream of STREAMS) {
      const truth = truthTotals(harness.simulator, stream, SINCE, NOW);
      expect(entriesOf(await storedTotals(harness.pool, stream)), stream).toEqual(entriesOf(truth));
    }
  });

  it('picks up rows that arrived late within the lookback', async () => {
    const before = new Map<string, unknown>();
    for (const stream of STREAMS) before.set(stream, await storedTotals(harness.pool, stream));
    harness.simulator.clock.advance(6 * HOUR_MS);
    const later = NOW + 6 * HOUR_MS;

    const run = await runEventSync(harness, { since: SINCE, streams: [...STREAMS] });
    expect(run.summary.status).toBe('completed');
    for (const stream of STREAMS) {
      const truth = truthTotals(harness.simulator, stream, SINCE, later);
      const stored = await storedTotals(harness.pool, stream);
      expect(entriesOf(stored), stream).toEqual(entriesOf(truth));
      expect(entriesOf(stored), stream).not.toEqual(entriesOf(before.get(stream) as typeof stored));
      expect(run.stream(stream).counts.inserted, stream).toBeGreaterThan(0);
    }
    // Aggregate rows that grew replace their earlier versions.
    expect(run.stream('page_events').counts.deleted).toBeGreaterThan(0);
    expect(run.stream('guide_events').counts.deleted).toBe(0);
  });
});
