import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import { DEFAULT_APP_ID } from '../../src/types';
import { aggregate, getJson, ids, postAggregation, startSmallSimulator } from './helpers';

let sim: Simulator;
const ALL = { appId: 'expandAppIds("*")' };

beforeAll(async () => {
  sim = await startSmallSimulator();
});
afterAll(async () => {
  await sim.close();
});

function byKeys(
  a: { lastUpdatedAt: number; id: string },
  b: { lastUpdatedAt: number; id: string },
) {
  if (a.lastUpdatedAt !== b.lastUpdatedAt) return a.lastUpdatedAt - b.lastUpdatedAt;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

describe('aggregation envelope', () => {
  it('returns startTime and results', async () => {
    const { status, text, contentType } = await postAggregation(sim, {
      response: { mimeType: 'application/json' },
      request: {
        name: 'x',
        requestId: 'y',
        sort: ['id'],
        pipeline: [{ source: { guides: null } }],
      },
      channelId: '',
    });
    expect(status).toBe(200);
    expect(contentType).toContain('application/json');
    const body = JSON.parse(text) as { startTime: number; results: unknown[] };
    expect(body.startTime).toBe(sim.clock.now());
    expect(body.results.length).toBe(sim.counts().guides.byApp[String(DEFAULT_APP_ID)]);
  });

  it('rows equal the list endpoint records', async () => {
    const rows = await aggregate(sim, [{ source: { features: ALL } }]);
    const listed = await getJson(sim, '/api/v1/feature?expand=*');
    expect(rows).toEqual(listed);
  });

  it('ignores timeSeries and unknown source params', async () => {
    const rows = await aggregate(sim, [
      {
        source: {
          trackTypes: { appId: DEFAULT_APP_ID, timeSeries: { period: 'dayRange' }, other: 1 },
          timeSeries: { period: 'dayRange', first: 'now()', count: -1 },
        },
      },
    ]);
    expect(rows.length).toBe(sim.counts().track_types.byApp[String(DEFAULT_APP_ID)]);
  });
});

describe('appId forms', () => {
  const second = (): number => sim.apps[1] ?? 0;
  it.each([
    ['absent', () => undefined, 1],
    ['int', () => second(), 1],
    ['numeric string list', () => [String(DEFAULT_APP_ID), String(second())], 2],
    ['int list', () => [DEFAULT_APP_ID, second()], 2],
    ['expandAppIds with quotes', () => 'expandAppIds("*")', 3],
    ['expandAppIds with backticks', () => 'expandAppIds(`*`)', 3],
  ])('%s', async (_name, appId, appCount) => {
    const params = appId() === undefined ? null : { appId: appId() };
    const rows = await aggregate(sim, [{ source: { pages: params } }]);
    expect(new Set(rows.map((row) => row.appId)).size).toBe(appCount);
  });

  it('unknown app selects nothing', async () => {
    const rows = await aggregate(sim, [{ source: { pages: { appId: 12345 } } }]);
    expect(rows).toEqual([]);
  });
});

describe('operators', () => {
  it('sort by several keys, descending first', async () => {
    const rows = await aggregate(sim, [
      { source: { guides: ALL } },
      { sort: ['-state', 'lastUpdatedAt'] },
      { select: { state: 'state', lastUpdatedAt: 'lastUpdatedAt' } },
    ]);
    const expected = [...rows].sort(
      (a, b) =>
        (String(a.state) < String(b.state) ? 1 : String(a.state) > String(b.state) ? -1 : 0) ||
        Number(a.lastUpdatedAt) - Number(b.lastUpdatedAt),
    );
    expect(rows).toEqual(expected);
    expect(rows[0]?.state).not.toBe(rows[rows.length - 1]?.state);
  });

  it('sort is stable', async () => {
    const unsorted = ids(await aggregate(sim, [{ source: { features: ALL } }]));
    const rows = await aggregate(sim, [{ source: { features: ALL } }, { sort: ['appWide'] }]);
    const byGroup = [false, true].flatMap((wide) =>
      unsorted.filter((id) => rows.find((row) => row.id === id)?.appWide === wide),
    );
    expect(ids(rows)).toEqual(byGroup);
  });

  it('filter, sort, skip and limit', async () => {
    const all = (await aggregate(sim, [{ source: { guides: ALL } }])) as unknown as {
      lastUpdatedAt: number;
      id: string;
      state: string;
    }[];
    const expected = all
      .filter((guide) => guide.state === 'public')
      .sort(byKeys)
      .slice(2, 7)
      .map((guide) => guide.id);
    const rows = await aggregate(sim, [
      { source: { guides: ALL } },
      { filter: 'state == "public"' },
      { sort: ['lastUpdatedAt', 'id'] },
      { skip: 2 },
      { limit: 5 },
    ]);
    expect(ids(rows)).toEqual(expected);
  });

  it('keyset filter continues after a cursor', async () => {
    const sorted = await aggregate(sim, [
      { source: { guides: ALL } },
      { sort: ['lastUpdatedAt', 'id'] },
    ]);
    const cursor = sorted[9];
    const rows = await aggregate(sim, [
      { source: { guides: ALL } },
      {
        filter: `lastUpdatedAt > ${Number(cursor?.lastUpdatedAt)} || (lastUpdatedAt == ${Number(cursor?.lastUpdatedAt)} && id > "${String(cursor?.id)}")`,
      },
      { sort: ['lastUpdatedAt', 'id'] },
      { limit: 5 },
    ]);
    expect(ids(rows)).toEqual(ids(sorted.slice(10, 15)));
  });

  it('select renames and reads nested paths', async () => {
    const rows = await aggregate(sim, [
      { source: { guides: null } },
      { limit: 2 },
      { select: { guideId: 'id', creator: 'createdByUser.id', firstStep: 'steps.0.id' } },
    ]);
    expect(rows.length).toBe(2);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['creator', 'firstStep', 'guideId']);
    expect(String(rows[0]?.creator)).toMatch(/^\d{16}$/);
    expect(String(rows[0]?.firstStep)).toHaveLength(27);
  });

  it('count replaces rows with one count', async () => {
    const rows = await aggregate(sim, [{ source: { guides: ALL } }, { count: null }]);
    expect(rows).toEqual([{ count: sim.counts().guides.total }]);
  });

  it('count after filter', async () => {
    const all = await aggregate(sim, [{ source: { guides: ALL } }]);
    const rows = await aggregate(sim, [
      { source: { guides: ALL } },
      { filter: 'state == "draft"' },
      { count: null },
    ]);
    expect(rows).toEqual([{ count: all.filter((guide) => guide.state === 'draft').length }]);
  });

  it('limit 0 returns no rows', async () => {
    expect(await aggregate(sim, [{ source: { guides: ALL } }, { limit: 0 }])).toEqual([]);
  });

  it('eval adds a field and unwind explodes arrays', async () => {
    const rows = await aggregate(sim, [
      { source: { guides: null } },
      { limit: 3 },
      { eval: { stepCount: 'len(steps)' } },
      { unwind: { field: 'steps' } },
      { select: { id: 'id', stepCount: 'stepCount', stepId: 'steps.id' } },
    ]);
    const first = rows[0];
    const sameGuide = rows.filter((row) => row.id === first?.id);
    expect(sameGuide.length).toBe(first?.stepCount);
    expect(new Set(sameGuide.map((row) => row.stepId)).size).toBe(sameGuide.length);
  });

  it('group and reduce aggregate rows', async () => {
    const all = await aggregate(sim, [{ source: { guides: ALL } }]);
    const groups = await aggregate(sim, [
      { source: { guides: ALL } },
      {
        group: {
          group: ['state'],
          fields: { n: { count: null }, latest: { max: 'lastUpdatedAt' } },
        },
      },
    ]);
    const publicGroup = groups.find((group) => group.state === 'public');
    const publicGuides = all.filter((guide) => guide.state === 'public');
    expect(publicGroup?.n).toBe(publicGuides.length);
    expect(publicGroup?.latest).toBe(Math.max(...publicGuides.map((g) => Number(g.lastUpdatedAt))));
    const reduced = await aggregate(sim, [
      { source: { guides: ALL } },
      { reduce: { apps: { count: 'appId' }, total: { count: null } } },
    ]);
    expect(reduced).toEqual([{ apps: 3, total: all.length }]);
  });

  it('identified keeps non-anonymous ids', async () => {
    const rows = await aggregate(sim, [
      { source: { guides: null } },
      { limit: 4 },
      { select: { visitorId: 'id' } },
      { eval: { visitorId: 'visitorId' } },
    ]);
    const identified = await aggregate(sim, [
      { source: { guides: null } },
      { limit: 4 },
      { select: { visitorId: 'id' } },
      { identified: 'visitorId' },
    ]);
    const dropped = await aggregate(sim, [
      { source: { guides: null } },
      { limit: 4 },
      { select: { visitorId: 'id' } },
      { identified: '!visitorId' },
    ]);
    expect(identified).toEqual(rows);
    expect(dropped).toEqual([]);
  });
});

describe('aggregation errors', () => {
  it('bad filter is 400 Cannot parse filter expression', async () => {
    const response = await postAggregation(sim, {
      request: { pipeline: [{ source: { guides: null } }, { filter: 'id == "a' }] },
    });
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('text/plain');
    expect(response.text).toBe('Cannot parse filter expression');
  });

  it('malformed JSON is 400 text', async () => {
    const response = await postAggregation(sim, '{"request": ');
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('text/plain');
  });

  const invalid: [string, unknown][] = [
    ['no request', { response: {} }],
    ['no pipeline', { request: {} }],
    ['empty pipeline', { request: { pipeline: [] } }],
    ['no source', { request: { pipeline: [{ limit: 1 }] } }],
    ['unknown source', { request: { pipeline: [{ source: { gizmos: null } }] } }],
    ['unsupported source', { request: { pipeline: [{ source: { pollsSeenEver: null } }] } }],
    ['two sources', { request: { pipeline: [{ source: { guides: null, pages: null } }] } }],
    ['unknown operator', { request: { pipeline: [{ source: { guides: null } }, { explode: 1 }] } }],
    ['negative limit', { request: { pipeline: [{ source: { guides: null } }, { limit: -1 }] } }],
    ['string skip', { request: { pipeline: [{ source: { guides: null } }, { skip: '5' }] } }],
    ['sort not array', { request: { pipeline: [{ source: { guides: null } }, { sort: 'id' }] } }],
    ['filter not string', { request: { pipeline: [{ source: { guides: null } }, { filter: 5 }] } }],
    ['bad appId', { request: { pipeline: [{ source: { guides: { appId: 'all' } } }] } }],
    [
      'second source',
      { request: { pipeline: [{ source: { guides: null } }, { source: { pages: null } }] } },
    ],
  ];
  it.each(invalid)('%s is 422', async (_name, body) => {
    const response = await postAggregation(sim, body);
    expect(response.status).toBe(422);
    expect(response.text.length).toBeGreaterThan(0);
  });
});
