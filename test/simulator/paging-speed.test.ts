import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import { startSimulator } from '../../src/simulator/index';
import { aggregate } from './helpers';

const GUIDES = 200_000;
const ALL = { appId: 'expandAppIds("*")' };
let sim: Simulator;
let heapGrowth = 0;

beforeAll(async () => {
  const before = process.memoryUsage().heapUsed;
  sim = await startSimulator({ seed: 'speed', sizes: { guides: GUIDES } });
  heapGrowth = process.memoryUsage().heapUsed - before;
});
afterAll(async () => {
  await sim.close();
});

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('paging at scale', () => {
  it('index of 200,000 guides stays small', () => {
    // Full records would take about 1 GB; the light index takes a few tens of MB.
    expect(heapGrowth).toBeLessThan(150e6);
  });

  it('keyset pages on lastUpdatedAt and id are fast and complete', async () => {
    const cursorKeys = { id: 'id', lastUpdatedAt: 'lastUpdatedAt' };
    const expected = await aggregate(sim, [
      { source: { guides: ALL } },
      { sort: ['lastUpdatedAt', 'id'] },
      { limit: 15_000 },
      { select: cursorKeys },
    ]);
    const seen: unknown[] = [];
    let filter = 'lastUpdatedAt >= 0';
    for (let page = 0; page < 3; page++) {
      const { value: rows, ms } = await timed(() =>
        aggregate(sim, [
          { source: { guides: ALL } },
          { filter },
          { sort: ['lastUpdatedAt', 'id'] },
          { limit: 5000 },
          { select: cursorKeys },
        ]),
      );
      expect(rows).toHaveLength(5000);
      expect(ms).toBeLessThan(2000);
      seen.push(...rows);
      const last = rows[rows.length - 1];
      const time = Number(last?.lastUpdatedAt);
      filter = `lastUpdatedAt > ${time} || (lastUpdatedAt == ${time} && id > ${JSON.stringify(last?.id)})`;
    }
    expect(seen).toEqual(expected);
  });

  it('keyset pages on id alone', async () => {
    const first = await aggregate(sim, [
      { source: { guides: ALL } },
      { sort: ['id'] },
      { limit: 5000 },
      { select: { id: 'id' } },
    ]);
    const lastId = String(first[first.length - 1]?.id);
    const { value: second, ms } = await timed(() =>
      aggregate(sim, [
        { source: { guides: ALL } },
        { filter: `id > ${JSON.stringify(lastId)}` },
        { sort: ['id'] },
        { limit: 5000 },
        { select: { id: 'id' } },
      ]),
    );
    expect(ms).toBeLessThan(2000);
    expect(second).toHaveLength(5000);
    expect(String(second[0]?.id) > lastId).toBe(true);
    const allIds = sim.truthIds('guides', { allApps: true }).sort();
    expect(second.map((row) => row.id)).toEqual(allIds.slice(5000, 10_000));
  });

  it('a page of 5000 full guides from the middle', async () => {
    const middle = sim.clock.now() - 200 * 24 * 3600 * 1000;
    const { value: rows, ms } = await timed(() =>
      aggregate(sim, [
        { source: { guides: ALL } },
        { filter: `lastUpdatedAt > ${middle}` },
        { sort: ['lastUpdatedAt', 'id'] },
        { limit: 5000 },
      ]),
    );
    expect(rows).toHaveLength(5000);
    expect(rows.every((row) => Number(row.lastUpdatedAt) > middle)).toBe(true);
    expect(rows[0]?.kind).toBe('Guide');
    // About 24 MB of JSON generated, sent and parsed; generous for a loaded machine.
    expect(ms).toBeLessThan(8000);
    console.info(`page of 5000 full guides out of ${GUIDES}: ${Math.round(ms)} ms`);
  });
});
