import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPartitions } from '../../../src/db/events/partitions';
import type { SyncHarness } from '../helpers';
import { startHarness } from '../helpers';
import { entriesOf, runEventSync, storedTotals, truthTotals } from './helpers';

const SINCE = Date.parse('2026-10-26T04:00:00Z'); // midnight of 2026-10-26 in New York
const NOW = Date.parse('2026-11-22T15:00:00Z');
const CUTOFF = Date.parse('2026-11-12T05:00:00Z'); // midnight of the day 10 days before NOW

describe('event retention', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({
      startTime: NOW,
      eventsStart: '2026-10-20T00:00:00Z',
      eventsPerDay: 200,
      sizes: { visitors: 200, accounts: 30 },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('drops old partitions, trims the boundary one and forgets their windows', async () => {
    const streams = ['page_events', 'guide_events'] as const;
    await runEventSync(harness, { since: SINCE, streams: [...streams] });
    expect((await listPartitions(harness.pool, 'pendo_page_events')).map((p) => p.name)).toEqual([
      'pendo_page_events_p202610',
      'pendo_page_events_p202611',
    ]);

    const run = await runEventSync(harness, {
      since: SINCE,
      streams: [...streams],
      retentionDays: 10,
    });
    expect(run.summary.status).toBe('completed');
    // Windows before the cutoff are neither read again nor kept.
    expect(run.stream('page_events').windowsRead).toBe(3);
    for (const stream of streams) {
      const truth = truthTotals(harness.simulator, stream, CUTOFF, NOW);
      expect(entriesOf(await storedTotals(harness.pool, stream)), stream).toEqual(entriesOf(truth));
    }
    expect((await listPartitions(harness.pool, 'pendo_page_events')).map((p) => p.name)).toEqual([
      'pendo_page_events_p202611',
    ]);
    const windows = await harness.pool.query<{ first: Date }>(
      'select min(window_start) as first from sync_event_windows',
    );
    expect(windows.rows[0]?.first.getTime()).toBe(CUTOFF);
  });
});
