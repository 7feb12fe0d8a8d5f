import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import type { RandomFaultOptions } from '../../src/simulator/http/random-faults';
import { RANDOM_FAULT_KINDS, RandomFaults } from '../../src/simulator/http/random-faults';
import { getText, startSmallSimulator } from './helpers';

/** Starts the random mode through the control endpoint and returns the reply status. */
async function injectRandomFaults(sim: Simulator, options: unknown): Promise<number> {
  const response = await fetch(`${sim.url}/_simulator/faults/random`, {
    method: 'POST',
    body: JSON.stringify(options),
  });
  await response.text();
  return response.status;
}

/** Returns the fault picked for each of `count` requests on `path`, as JSON text or "-". */
function draws(options: RandomFaultOptions, count: number, path = 'guide'): string[] {
  const random = new RandomFaults(options);
  return Array.from({ length: count }, () => {
    const fault = random.next(path);
    return fault ? JSON.stringify(fault) : '-';
  });
}

describe('random fault choice', () => {
  it('repeats for the same seed', () => {
    const options = { seed: 'chaos', rate: 0.5 };
    expect(draws(options, 200)).toEqual(draws(options, 200));
  });

  it('differs between seeds', () => {
    expect(draws({ seed: 1, rate: 0.5 }, 200)).not.toEqual(draws({ seed: 2, rate: 0.5 }, 200));
  });

  it('follows the rate', () => {
    const faults = draws({ seed: 'rate', rate: 0.25 }, 2000).filter((draw) => draw !== '-');
    expect(faults.length).toBeGreaterThan(400);
    expect(faults.length).toBeLessThan(600);
    expect(draws({ seed: 'rate', rate: 0 }, 100).every((draw) => draw === '-')).toBe(true);
    expect(draws({ seed: 'rate', rate: 1 }, 100).every((draw) => draw !== '-')).toBe(true);
  });

  it('uses every kind by default', () => {
    const random = new RandomFaults({ seed: 'all', rate: 1 });
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const fault = random.next('aggregation');
      // Byte offsets and counts vary, so the label keeps only the fields that differ between kinds.
      const { status, retryAfter, invalidJson, ...rest } = fault ?? {};
      const label = [status, retryAfter?.format, invalidJson, ...Object.keys(rest).sort()];
      seen.add(JSON.stringify(label));
    }
    expect(seen.size).toBe(RANDOM_FAULT_KINDS.length);
  });

  it('keeps to the given kinds', () => {
    const picked = draws({ seed: 'k', rate: 1, kinds: ['truncate', 'reset'] }, 100);
    for (const draw of picked) expect(draw).toMatch(/"(truncateAfterBytes|resetAfterBytes)"/);
  });

  it('keeps to the given paths', () => {
    const random = new RandomFaults({ seed: 'p', rate: 1, paths: ['aggregation'] });
    expect(random.next('guide')).toBeUndefined();
    expect(random.next('aggregation')).toBeDefined();
  });

  it('stops after maxFaults', () => {
    const picked = draws({ seed: 'm', rate: 1, maxFaults: 3 }, 10);
    expect(picked.filter((draw) => draw !== '-')).toHaveLength(3);
  });

  it('rejects invalid options', () => {
    expect(() => new RandomFaults({ seed: 1, rate: 2 })).toThrow(/rate/);
    expect(() => new RandomFaults({ seed: 1, rate: 0.1, kinds: [] })).toThrow(/kinds/);
    const unknown = ['flood'] as unknown as RandomFaultOptions['kinds'];
    expect(() => new RandomFaults({ seed: 1, rate: 0.1, kinds: unknown })).toThrow(
      RANDOM_FAULT_KINDS[0],
    );
  });
});

describe('random faults over HTTP', () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSmallSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it('gives the same statuses for the same seed', async () => {
    const statuses: number[][] = [];
    for (let round = 0; round < 2; round++) {
      const options = { seed: 7, rate: 0.5, kinds: ['status-500', 'status-429'] };
      expect(await injectRandomFaults(sim, options)).toBe(200);
      const received: number[] = [];
      for (let i = 0; i < 20; i++) received.push((await getText(sim, '/api/v1/page')).status);
      statuses.push(received);
    }
    expect(statuses[0]).toEqual(statuses[1]);
    expect(statuses[0]).toContain(200);
    expect(statuses[0]?.some((status) => status !== 200)).toBe(true);
  });

  it('runs queued faults first', async () => {
    await injectRandomFaults(sim, { seed: 1, rate: 1, kinds: ['status-502'] });
    sim.injectFault({ path: 'page', status: 404 });
    expect((await getText(sim, '/api/v1/page')).status).toBe(404);
    expect((await getText(sim, '/api/v1/page')).status).toBe(502);
  });

  it('stops on clearFaults', async () => {
    await injectRandomFaults(sim, { seed: 1, rate: 1, kinds: ['status-503'] });
    sim.clearFaults();
    expect((await getText(sim, '/api/v1/page')).status).toBe(200);
  });

  it('rejects invalid options with 400', async () => {
    expect(await injectRandomFaults(sim, { seed: 1, rate: -1 })).toBe(400);
  });
});
