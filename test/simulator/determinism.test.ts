import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import { getText, startSmallSimulator } from './helpers';

async function snapshot(sim: Simulator): Promise<string[]> {
  const paths = [
    'guide',
    'feature',
    'page',
    'tracktype',
    'report',
    'segment',
    'metadata/schema/visitor',
  ];
  const bodies: string[] = [];
  for (const path of paths) {
    const query = path.startsWith('metadata') ? '' : '?expand=*';
    bodies.push((await getText(sim, `/api/v1/${path}${query}`)).text);
  }
  return bodies;
}

async function withSimulators<T>(
  seeds: [string, string],
  body: (a: Simulator, b: Simulator) => Promise<T> | T,
): Promise<T> {
  const a = await startSmallSimulator({ seed: seeds[0] });
  const b = await startSmallSimulator({ seed: seeds[1] });
  try {
    return await body(a, b);
  } finally {
    await a.close();
    await b.close();
  }
}

describe('determinism', () => {
  it('same seed gives identical responses', async () => {
    await withSimulators(['alpha', 'alpha'], async (a, b) => {
      const [left, right] = [await snapshot(a), await snapshot(b)];
      expect(left.length).toBe(7);
      for (let i = 0; i < left.length; i++) expect(left[i]).toBe(right[i]);
      expect(a.apiKey).toBe(b.apiKey);
    });
  });

  it('different seeds give different data', async () => {
    await withSimulators(['alpha', 'beta'], (a, b) => {
      expect(a.truthIds('guides', { allApps: true })).not.toEqual(
        b.truthIds('guides', { allApps: true }),
      );
    });
  });

  it('same mutations give the same changes', async () => {
    await withSimulators(['alpha', 'alpha'], async (a, b) => {
      const request = { creates: { guides: 3 }, updates: { pages: 4 }, deletes: { features: 2 } };
      const first = [a.mutate(request), a.mutate({ updates: { guides: 5 } })];
      const second = [b.mutate(request), b.mutate({ updates: { guides: 5 } })];
      expect(first).toEqual(second);
      expect((await snapshot(a)).join()).toBe((await snapshot(b)).join());
    });
  });

  it('repeated reads return the same body', async () => {
    await withSimulators(['gamma', 'delta'], async (a) => {
      const first = await getText(a, '/api/v1/guide?expand=*');
      const second = await getText(a, '/api/v1/guide?expand=*');
      expect(second.text).toBe(first.text);
    });
  });

  it('ids are 27 URL-safe characters and some start with a dash', async () => {
    const sim = await startSmallSimulator({ sizes: { features: 2000 } });
    try {
      const all = sim.truthIds('features', { allApps: true });
      expect(all.every((id) => /^[A-Za-z0-9_-]{27}$/.test(id))).toBe(true);
      expect(all.some((id) => id.startsWith('-'))).toBe(true);
      expect(new Set(all).size).toBe(all.length);
    } finally {
      await sim.close();
    }
  });
});
