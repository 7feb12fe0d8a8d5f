import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../src/simulator/index';
import { aggregate } from '../helpers';
import { DAY_MS, startActivitySimulator } from './activity-helpers';

const VISITORS = 150_000;
let sim: Simulator;
let startupMs = 0;

beforeAll(async () => {
  const started = performance.now();
  sim = await startActivitySimulator({
    sizes: { visitors: VISITORS, accounts: 5000 },
  });
  startupMs = performance.now() - started;
});
afterAll(async () => {
  await sim.close();
});

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('people at scale', () => {
  it('starts quickly', () => {
    expect(startupMs).toBeLessThan(5000);
    console.info(`simulator with ${VISITORS} visitors started in ${Math.round(startupMs)} ms`);
  });

  it('keyset pages on visitorId are fast', async () => {
    let last = '';
    for (let page = 0; page < 3; page++) {
      const { value: rows, ms } = await timed(() =>
        aggregate(sim, [
          { source: { visitors: { identified: true } } },
          { filter: `visitorId > ${JSON.stringify(last)}` },
          { sort: ['visitorId'] },
          { limit: 5000 },
          { select: { visitorId: 'visitorId' } },
        ]),
      );
      expect(rows).toHaveLength(5000);
      // The first page also builds the sorted order of 150,000 ids.
      expect(ms).toBeLessThan(page === 0 ? 4000 : 1500);
      const next = String(rows[rows.length - 1]?.visitorId);
      expect(next > last).toBe(true);
      last = next;
    }
  });

  it('lastupdated filter and sort are fast', async () => {
    const since = sim.clock.now() - 30 * DAY_MS;
    const { value: rows, ms } = await timed(() =>
      aggregate(sim, [
        { source: { visitors: null } },
        { filter: `metadata.auto.lastupdated >= ${since}` },
        { sort: ['metadata.auto.lastupdated', 'visitorId'] },
        { limit: 2000 },
      ]),
    );
    expect(rows).toHaveLength(2000);
    expect(ms).toBeLessThan(4000);
  });
});
