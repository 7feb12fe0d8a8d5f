import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../src/simulator/index';
import type { PendoRecord } from '../../../src/types';
import { aggregate } from '../helpers';
import { DAY_MS, startActivitySimulator } from './activity-helpers';

// Start-up and page latency at 150,000 visitors are measured by
// bench/components/people-paging.ts; these tests check that paging is complete and sorted.
const VISITORS = 3_000;
const PAGE_SIZE = 500;
// Bounds the paging loop when a broken filter returns the same page again.
const MAX_PAGES = Math.ceil(VISITORS / PAGE_SIZE) + 2;
let sim: Simulator;

/** Returns a visitor's `metadata.auto.lastupdated`, or NaN when it has none. */
function lastUpdatedOf(row: PendoRecord): number {
  const metadata = row.metadata as { auto?: { lastupdated?: unknown } } | undefined;
  return Number(metadata?.auto?.lastupdated);
}

beforeAll(async () => {
  sim = await startActivitySimulator({ sizes: { visitors: VISITORS, accounts: 100 } });
});
afterAll(async () => {
  await sim.close();
});

describe('people paging', () => {
  it('visitorId keyset visits each visitor once', async () => {
    const expected = await aggregate(sim, [
      { source: { visitors: { identified: true } } },
      { sort: ['visitorId'] },
      { select: { visitorId: 'visitorId' } },
    ]);
    const seen: unknown[] = [];
    let last = '';
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = await aggregate(sim, [
        { source: { visitors: { identified: true } } },
        { filter: `visitorId > ${JSON.stringify(last)}` },
        { sort: ['visitorId'] },
        { limit: PAGE_SIZE },
        { select: { visitorId: 'visitorId' } },
      ]);
      seen.push(...rows.map((row) => row.visitorId));
      if (rows.length < PAGE_SIZE) break;
      last = String(rows[rows.length - 1]?.visitorId);
    }
    expect(expected.length).toBeGreaterThan(2 * PAGE_SIZE);
    expect(seen).toEqual(expected.map((row) => row.visitorId));
    expect(new Set(seen).size).toBe(expected.length);
  });

  it('lastupdated filter and sort', async () => {
    const since = sim.clock.now() - 30 * DAY_MS;
    const everyone = await aggregate(sim, [{ source: { visitors: null } }]);
    const rows = await aggregate(sim, [
      { source: { visitors: null } },
      { filter: `metadata.auto.lastupdated >= ${since}` },
      { sort: ['metadata.auto.lastupdated', 'visitorId'] },
    ]);
    const expectedIds = everyone
      .filter((row) => lastUpdatedOf(row) >= since)
      .map((row) => String(row.visitorId))
      .sort();
    const times = rows.map(lastUpdatedOf);
    expect(expectedIds.length).toBeGreaterThan(0);
    expect(expectedIds.length).toBeLessThan(VISITORS);
    expect(rows.map((row) => String(row.visitorId)).sort()).toEqual(expectedIds);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
