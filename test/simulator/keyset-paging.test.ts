import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import { startSimulator } from '../../src/simulator/index';
import type { PendoRecord } from '../../src/types';
import { aggregate } from './helpers';

// Page latency and heap size at 400,000 guides are measured by
// bench/components/simulator-paging.ts; these tests check that keyset paging is complete.
const GUIDES = 3_000;
const PAGE_SIZE = 500;
// More than one page share one lastUpdatedAt, so a page boundary falls inside the tie and the
// id part of the cursor decides where the next page starts.
const SHARED_TIMESTAMP_GUIDES = 700;
// Bounds the paging loops when a broken filter returns the same page again.
const MAX_PAGES = Math.ceil(GUIDES / PAGE_SIZE) + 2;
const ALL = { appId: 'expandAppIds("*")' };
const CURSOR_KEYS = { id: 'id', lastUpdatedAt: 'lastUpdatedAt' };
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 'paging',
    sizes: { guides: GUIDES },
    sharedTimestamps: { guides: SHARED_TIMESTAMP_GUIDES },
  });
});
afterAll(async () => {
  await sim.close();
});

/** Returns the filter that selects the rows after `last` in (lastUpdatedAt, id) order. */
function afterRow(last: PendoRecord | undefined): string {
  const time = Number(last?.lastUpdatedAt);
  return `lastUpdatedAt > ${time} || (lastUpdatedAt == ${time} && id > ${JSON.stringify(last?.id)})`;
}

describe('keyset paging', () => {
  it('on lastUpdatedAt and id visits each guide once', async () => {
    const expected = await aggregate(sim, [
      { source: { guides: ALL } },
      { sort: ['lastUpdatedAt', 'id'] },
      { select: CURSOR_KEYS },
    ]);
    const seen: PendoRecord[] = [];
    let filter = 'lastUpdatedAt >= 0';
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = await aggregate(sim, [
        { source: { guides: ALL } },
        { filter },
        { sort: ['lastUpdatedAt', 'id'] },
        { limit: PAGE_SIZE },
        { select: CURSOR_KEYS },
      ]);
      seen.push(...rows);
      if (rows.length < PAGE_SIZE) break;
      filter = afterRow(rows[rows.length - 1]);
    }
    const times = expected.map((row) => row.lastUpdatedAt);
    expect(new Set(times).size).toBeLessThan(GUIDES - PAGE_SIZE);
    expect(expected).toHaveLength(GUIDES);
    expect(seen).toEqual(expected);
    expect(new Set(seen.map((row) => row.id)).size).toBe(GUIDES);
  });

  it('on id alone visits each guide once', async () => {
    const seen: unknown[] = [];
    let last = '';
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = await aggregate(sim, [
        { source: { guides: ALL } },
        { filter: `id > ${JSON.stringify(last)}` },
        { sort: ['id'] },
        { limit: PAGE_SIZE },
        { select: { id: 'id' } },
      ]);
      seen.push(...rows.map((row) => row.id));
      if (rows.length < PAGE_SIZE) break;
      last = String(rows[rows.length - 1]?.id);
    }
    const allIds = sim.truthIds('guides', { allApps: true }).sort();
    expect(allIds).toHaveLength(GUIDES);
    expect(seen).toEqual(allIds);
  });

  it('returns full guides after a cursor', async () => {
    const times = await aggregate(sim, [
      { source: { guides: ALL } },
      { sort: ['lastUpdatedAt', 'id'] },
      { select: { lastUpdatedAt: 'lastUpdatedAt' } },
    ]);
    const middle = Number(times[Math.floor(times.length / 2)]?.lastUpdatedAt);
    const rows = await aggregate(sim, [
      { source: { guides: ALL } },
      { filter: `lastUpdatedAt > ${middle}` },
      { sort: ['lastUpdatedAt', 'id'] },
      { limit: PAGE_SIZE },
    ]);
    const rowTimes = rows.map((row) => Number(row.lastUpdatedAt));
    expect(rows).toHaveLength(PAGE_SIZE);
    expect(rowTimes.every((time) => time > middle)).toBe(true);
    expect(rowTimes).toEqual([...rowTimes].sort((a, b) => a - b));
    expect(rows.every((row) => row.kind === 'Guide')).toBe(true);
    expect(rows.every((row) => Array.isArray(row.steps))).toBe(true);
  });
});
