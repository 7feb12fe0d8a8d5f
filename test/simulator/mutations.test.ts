import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import { DEFAULT_START_TIME } from '../../src/simulator/index';
import type { PendoRecord } from '../../src/types';
import { aggregate, collect, getJson, startSmallSimulator } from './helpers';

let sim: Simulator;

beforeEach(async () => {
  sim = await startSmallSimulator();
});
afterEach(async () => {
  await sim.close();
});

async function guidesById(): Promise<Map<string, PendoRecord>> {
  const guides = await getJson(sim, '/api/v1/guide?expand=*');
  return new Map(guides.map((guide) => [String(guide.id), guide]));
}

describe('mutations', () => {
  it('clock starts at the default start time', () => {
    expect(sim.clock.now()).toBe(DEFAULT_START_TIME);
    expect(new Date(DEFAULT_START_TIME).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('creates add records with current timestamps', async () => {
    const before = sim.counts().guides.total;
    const summary = sim.mutate({ creates: { guides: 4 } });
    const created = summary.changes.guides?.created ?? [];
    expect(created).toHaveLength(4);
    expect(sim.counts().guides.total).toBe(before + 4);
    const guides = await guidesById();
    for (const id of created) {
      const guide = guides.get(id);
      expect(guide?.createdAt).toBe(guide?.lastUpdatedAt);
      expect(Number(guide?.lastUpdatedAt)).toBeGreaterThan(DEFAULT_START_TIME);
    }
  });

  it('updates move lastUpdatedAt forward and change content', async () => {
    const before = await guidesById();
    const summary = sim.mutate({ updates: { guides: 5 } });
    const updated = summary.changes.guides?.updated ?? [];
    expect(updated).toHaveLength(5);
    const after = await guidesById();
    for (const id of updated) {
      const old = before.get(id);
      const now = after.get(id);
      expect(Number(now?.lastUpdatedAt)).toBeGreaterThan(Number(old?.lastUpdatedAt));
      expect(Number(now?.lastUpdatedAt)).toBeLessThanOrEqual(sim.clock.now());
      expect(now?.stableVersionId).not.toBe(old?.stableVersionId);
      expect(now?.createdAt).toBe(old?.createdAt);
    }
    const untouched = [...before.keys()].find((id) => !updated.includes(id)) ?? '';
    expect(after.get(untouched)).toEqual(before.get(untouched));
  });

  it('deletes make records vanish without tombstones', async () => {
    const summary = sim.mutate({ deletes: { pages: 3 } });
    const deleted = summary.changes.pages?.deleted ?? [];
    expect(deleted).toHaveLength(3);
    const pages = await getJson(sim, '/api/v1/page?expand=*');
    const remaining = new Set(pages.map((page) => page.id));
    for (const id of deleted) expect(remaining.has(id)).toBe(false);
    const rows = await aggregate(sim, [
      { source: { pages: { appId: 'expandAppIds("*")' } } },
      { filter: `id == "${deleted[0] ?? ''}"` },
    ]);
    expect(rows).toEqual([]);
    const single = await fetch(`${sim.url}/api/v1/page/${deleted[0] ?? ''}`, {
      headers: { 'x-pendo-integration-key': sim.apiKey },
    });
    expect(single.status).toBe(404);
  });

  it('clock moves forward on every mutation', () => {
    const start = sim.clock.now();
    const first = sim.mutate({ deletes: { segments: 1 } });
    const afterFirst = sim.clock.now();
    sim.mutate({ updates: { reports: 1 } });
    expect(afterFirst).toBeGreaterThan(start);
    expect(first.firstTimestamp).toBeGreaterThan(start);
    expect(sim.clock.now()).toBeGreaterThan(afterFirst);
  });

  it('sameTimestamp gives one lastUpdatedAt', async () => {
    const summary = sim.mutate({
      updates: { guides: 10 },
      creates: { guides: 5 },
      sameTimestamp: true,
    });
    const touched = [
      ...(summary.changes.guides?.updated ?? []),
      ...(summary.changes.guides?.created ?? []),
    ];
    expect(touched).toHaveLength(15);
    const guides = await guidesById();
    const stamps = new Set(touched.map((id) => guides.get(id)?.lastUpdatedAt));
    expect(stamps).toEqual(new Set([summary.lastTimestamp]));
  });

  it('setSharedTimestamp updates records to one time', async () => {
    const summary = sim.setSharedTimestamp('features', 20);
    const updated = summary.changes.features?.updated ?? [];
    expect(updated).toHaveLength(20);
    const features = await getJson(sim, '/api/v1/feature?expand=*');
    const shared = features.filter((feature) => feature.lastUpdatedAt === summary.lastTimestamp);
    expect(shared.map((feature) => feature.id).sort()).toEqual([...updated].sort());
  });

  it('updates more than exist touch every record once', () => {
    const total = sim.counts().segments.total;
    const summary = sim.mutate({ updates: { segments: total + 10 } });
    const updated = summary.changes.segments?.updated ?? [];
    expect(updated).toHaveLength(total);
    expect(new Set(updated).size).toBe(total);
  });

  it('rejects unknown entities and bad counts', () => {
    expect(() => sim.mutate({ creates: { widgets: 1 } as never })).toThrow(/unknown entity/);
    expect(() => sim.mutate({ creates: { guides: -1 } })).toThrow(/non-negative/);
  });

  it('truth follows mutations', async () => {
    const summary = sim.mutate({ creates: { track_types: 2 }, deletes: { track_types: 1 } });
    const truth = await collect(sim.truth('tracktype', { allApps: true }));
    const truthIds = truth.map((record) => record.id);
    for (const id of summary.changes.track_types?.created ?? []) expect(truthIds).toContain(id);
    for (const id of summary.changes.track_types?.deleted ?? []) expect(truthIds).not.toContain(id);
    expect(truth.length).toBe(sim.counts().track_types.total);
  });
});

describe('shared timestamps option', () => {
  it('500 records share one lastUpdatedAt', async () => {
    const big = await startSmallSimulator({
      sizes: { guides: 2000 },
      sharedTimestamps: { guides: 500 },
    });
    try {
      const rows = await aggregate(big, [
        { source: { guides: { appId: 'expandAppIds("*")' } } },
        { group: { group: ['lastUpdatedAt'], fields: { n: { count: null } } } },
        { filter: 'n >= 500' },
      ]);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.n).toBe(500);
    } finally {
      await big.close();
    }
  });
});

describe('control endpoints', () => {
  it('mutate, counts and truth over HTTP', async () => {
    const response = await fetch(`${sim.url}/_simulator/mutate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ creates: { guide: 2 }, deletes: { guides: 1 } }),
    });
    expect(response.status).toBe(200);
    const summary = (await response.json()) as {
      changes: { guides: { created: string[]; deleted: string[] } };
    };
    expect(summary.changes.guides.created).toHaveLength(2);
    const counts = (await (await fetch(`${sim.url}/_simulator/counts`)).json()) as {
      guides: { total: number };
    };
    expect(counts.guides.total).toBe(sim.counts().guides.total);
    const truth = (await (
      await fetch(`${sim.url}/_simulator/truth/guides?allApps=true`)
    ).json()) as PendoRecord[];
    expect(truth.map((record) => record.id)).toEqual(sim.truthIds('guides', { allApps: true }));
  });

  it('bad mutation is 400', async () => {
    const response = await fetch(`${sim.url}/_simulator/mutate`, {
      method: 'POST',
      body: JSON.stringify({ creates: { guides: 'many' } }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('creates.guides');
  });

  it('clock endpoint advances time', async () => {
    const before = sim.clock.now();
    const response = await fetch(`${sim.url}/_simulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: 5000 }),
    });
    expect(((await response.json()) as { now: number }).now).toBe(before + 5000);
    expect(sim.clock.now()).toBe(before + 5000);
  });
});
