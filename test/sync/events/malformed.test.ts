import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncHarness } from '../helpers';
import { startHarness } from '../helpers';
import type { TamperProxy } from './tamper-proxy';
import { startTamperProxy } from './tamper-proxy';
import { entriesOf, rowVersions, runEventSync, storedTotals, truthTotals } from './helpers';

const SINCE = Date.parse('2026-11-18T05:00:00Z');
const NOW = Date.parse('2026-11-22T15:00:00Z');
const HOUR_MS = 3_600_000;

describe('event rows through a proxy', () => {
  let harness: SyncHarness;
  let proxy: TamperProxy;
  let target: { simulator: { url: string; apiKey: string }; pool: SyncHarness['pool'] };

  beforeAll(async () => {
    harness = await startHarness({
      startTime: NOW,
      eventsStart: '2026-11-10T00:00:00Z',
      eventsPerDay: 1500,
      sizes: { visitors: 400, accounts: 30 },
    });
    proxy = await startTamperProxy(harness.simulator.url);
    target = {
      simulator: { url: proxy.url, apiKey: harness.simulator.apiKey },
      pool: harness.pool,
    };
  });

  afterAll(async () => {
    await proxy?.close();
    await harness?.close();
  });

  it('keeps visitor ids with quotes and backslashes intact', async () => {
    const run = await runEventSync(target, { since: SINCE, streams: ['page_events'] });
    expect(run.summary.status).toBe('completed');
    expect(entriesOf(await storedTotals(harness.pool, 'page_events'))).toEqual(
      entriesOf(truthTotals(harness.simulator, 'page_events', SINCE, NOW)),
    );
    const expected = new Set<string>();
    for (const row of harness.simulator.eventRows({
      source: 'pageEvents',
      period: 'day',
      from: SINCE,
      to: NOW,
    })) {
      const id = String(row.visitorId);
      if (/["'\\]/.test(id)) expected.add(id);
    }
    expect(expected.size).toBeGreaterThan(0);
    const stored = await harness.pool.query<{ visitor_id: string }>(
      `select distinct visitor_id from pendo_page_events where visitor_id ~ '["''\\\\]'`,
    );
    expect(stored.rows.map((row) => row.visitor_id).sort()).toEqual([...expected].sort());
  });

  it('row without day fails the stream', async () => {
    const before = await rowVersions(harness.pool, 'page_events');
    harness.simulator.clock.advance(2 * HOUR_MS);
    // The last row, so the COPY of the window has started when the row is found.
    proxy.tamper = (rows) =>
      rows.map((row, index) => {
        if (index !== rows.length - 1) return row;
        const { day: _day, ...rest } = row;
        return rest;
      });
    try {
      const run = await runEventSync(target, { since: SINCE, streams: ['page_events'] });
      const result = run.stream('page_events');
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/page_events row .* has no "day"/);
      expect(result.windowsRead).toBe(0);
    } finally {
      proxy.tamper = undefined;
    }
    expect(await rowVersions(harness.pool, 'page_events')).toEqual(before);
  });
});
