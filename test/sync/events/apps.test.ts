import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncHarness } from '../helpers';
import { startHarness } from '../helpers';
import { entriesOf, runEventSync, storedTotals, truthTotals } from './helpers';

const SINCE = Date.parse('2026-11-18T05:00:00Z');
const NOW = Date.parse('2026-11-22T15:00:00Z');

describe('event streams of chosen apps', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({
      startTime: NOW,
      eventsStart: '2026-11-10T00:00:00Z',
      eventsPerDay: 600,
      sizes: { visitors: 200, accounts: 30 },
    });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('stores only the chosen app under its own scope', async () => {
    const appId = harness.simulator.apps[1] as number;
    const run = await runEventSync(
      harness,
      { since: SINCE, streams: ['page_events', 'guide_events'] },
      { appIds: [appId] },
    );
    expect(run.summary.status).toBe('completed');
    for (const stream of ['page_events', 'guide_events'] as const) {
      const truth = [...truthTotals(harness.simulator, stream, SINCE, NOW)].filter(([key]) =>
        key.endsWith(` ${appId}`),
      );
      expect(truth.length, stream).toBeGreaterThan(0);
      expect(entriesOf(await storedTotals(harness.pool, stream)), stream).toEqual(
        entriesOf(new Map(truth)),
      );
    }
    const scopes = await harness.pool.query<{ app_scope: string }>(
      'select distinct app_scope from sync_event_windows',
    );
    expect(scopes.rows.map((row) => row.app_scope)).toEqual([String(appId)]);
  });
});
