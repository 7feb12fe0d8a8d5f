import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { EVENT_STREAMS } from '../../../src/events/streams';
import type { SyncHarness } from '../helpers';
import { startHarness } from '../helpers';
import { TIME_ZONE, entriesOf, runEventSync, storedTotals, truthTotals } from './helpers';

const HOUR_MS = 3_600_000;

/** Returns the length in hours of each window of `stream`, keyed by its local date. */
async function windowHours(pool: pg.Pool, stream: string): Promise<Record<string, number>> {
  const result = await pool.query<{ day: string; hours: string }>(
    `select to_char(window_start at time zone $2, 'YYYY-MM-DD') as day,
            extract(epoch from window_end - window_start) / 3600 as hours
     from sync_event_windows where stream = $1 order by window_start`,
    [stream, TIME_ZONE],
  );
  return Object.fromEntries(result.rows.map((row) => [row.day, Number(row.hours)]));
}

/** Returns the distinct hours of `pendo_events` rows on one local date. */
async function eventHours(pool: pg.Pool, day: string): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `select count(distinct bucket_start) as count from pendo_events
     where (bucket_start at time zone $1)::date = $2::date`,
    [TIME_ZONE, day],
  );
  return Number(result.rows[0]?.count ?? 0);
}

describe.each([
  {
    name: 'fall back (25-hour day)',
    since: '2026-10-31T04:00:00Z',
    now: '2026-11-02T20:00:00Z',
    day: '2026-11-01',
    hours: 25,
  },
  {
    name: 'spring forward (23-hour day)',
    since: '2027-03-13T05:00:00Z',
    now: '2027-03-15T20:00:00Z',
    day: '2027-03-14',
    hours: 23,
  },
])('event windows across $name', ({ since, now, day, hours }) => {
  let harness: SyncHarness;
  const sinceMs = Date.parse(since);
  const nowMs = Date.parse(now);

  beforeAll(async () => {
    harness = await startHarness({
      startTime: nowMs,
      eventsStart: sinceMs - 24 * HOUR_MS,
      // Enough activity that every hour of the day has events rows.
      eventsPerDay: 3000,
      sizes: { visitors: 200, accounts: 30 },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('buckets rows by local day as the simulator does', async () => {
    const run = await runEventSync(harness, { since: sinceMs });
    expect(run.summary.status).toBe('completed');
    for (const stream of EVENT_STREAMS) {
      expect((await windowHours(harness.pool, stream))[day], stream).toBe(hours);
      const truth = truthTotals(harness.simulator, stream, sinceMs, nowMs);
      expect(entriesOf(await storedTotals(harness.pool, stream)), stream).toEqual(entriesOf(truth));
    }
    expect(await eventHours(harness.pool, day)).toBe(hours);
  });
});
