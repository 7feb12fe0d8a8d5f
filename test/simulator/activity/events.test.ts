import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../src/simulator/index';
import { TIMEOUT_TEXT } from '../../../src/simulator/index';
import type { PendoRecord } from '../../../src/types';
import { DEFAULT_APP_ID } from '../../../src/types';
import { aggregate, getJson } from '../helpers';
import {
  ALL_APPS,
  DAY_MS,
  HOUR_MS,
  eventSource,
  startActivitySimulator,
  sum,
  tryAggregate,
} from './activity-helpers';

/** Fields of the page and feature event rows in Pendo's published sandbox examples. */
const SAMPLE_AGGREGATE_FIELDS = [
  'accountId',
  'appId',
  'day',
  'numEvents',
  'numMinutes',
  'remoteIp',
  'server',
  'userAgent',
  'visitorId',
];
const TIME_FIELDS = ['firstTime', 'lastTime', 'parameters'];
const FRUSTRATION_FIELDS = ['deadClickCount', 'errorClickCount', 'rageClickCount', 'uTurnCount'];
const GUIDE_EVENT_FIELDS = [
  'accountId',
  'accountIds',
  'appId',
  'browserTime',
  'country',
  'elementPath',
  'guideId',
  'guideStepId',
  'guideTimestamp',
  'latitude',
  'loadTime',
  'longitude',
  'pollId',
  'pollResponse',
  'region',
  'remoteIp',
  'serverName',
  'type',
  'url',
  'userAgent',
  'visitorId',
];

let sim: Simulator;
const LAST_WEEK = { period: 'dayRange', first: 'now()', count: -7 };

beforeAll(async () => {
  sim = await startActivitySimulator();
});
afterAll(async () => {
  await sim.close();
});

const sorted = (fields: string[]): string[] => [...fields].sort();

describe('event row shapes', () => {
  it.each([
    ['pageEvents', ['pageId', ...FRUSTRATION_FIELDS]],
    ['featureEvents', ['featureId']],
    ['trackEvents', ['trackTypeId']],
    ['events', []],
  ])('%s rows have the sample fields', async (source, extra) => {
    const rows = await aggregate(sim, [eventSource(source, ALL_APPS, LAST_WEEK)]);
    expect(rows.length).toBeGreaterThan(10);
    const expected = sorted([...SAMPLE_AGGREGATE_FIELDS, ...TIME_FIELDS, ...extra]);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(expected);
    expect(
      rows.every((row) => typeof row.numEvents === 'number' && Number(row.numEvents) > 0),
    ).toBe(true);
  });

  it('guide events refer to real guides and steps', async () => {
    const guides = await getJson(sim, '/api/v1/guide?expand=*');
    const steps = new Map(
      guides.map((guide) => [guide.id, (guide.steps as PendoRecord[]).map((step) => step.id)]),
    );
    const rows = await aggregate(sim, [eventSource('guideEvents', ALL_APPS, LAST_WEEK)]);
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(sorted(GUIDE_EVENT_FIELDS));
      expect(steps.get(row.guideId)).toContain(row.guideStepId);
    }
    const types = new Set(rows.map((row) => row.type));
    for (const type of ['guideSeen', 'guideAdvanced', 'guideDismissed'])
      expect(types).toContain(type);
  });

  it('poll events answer real polls as strings', async () => {
    const guides = await getJson(sim, '/api/v1/guide?expand=*');
    const polls = new Set(
      guides.flatMap((guide) => ((guide.polls ?? []) as PendoRecord[]).map((poll) => poll.id)),
    );
    const rows = await aggregate(sim, [
      eventSource('pollEvents', ALL_APPS, { ...LAST_WEEK, count: -20 }),
    ]);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      expect(polls.has(row.pollId)).toBe(true);
      expect(typeof row.pollResponse).toBe('string');
      expect(row.type).toBe('pollResponse');
    }
  });

  it('visitors and accounts exist', async () => {
    const visitors = new Set(sim.truthIds('visitors'));
    const accounts = new Set([...sim.truthIds('accounts'), '']);
    const rows = await aggregate(sim, [eventSource('featureEvents', ALL_APPS, LAST_WEEK)]);
    expect(rows.every((row) => visitors.has(String(row.visitorId)))).toBe(true);
    expect(rows.every((row) => accounts.has(String(row.accountId)))).toBe(true);
  });

  it('a few features get most clicks', async () => {
    const rows = await aggregate(sim, [eventSource('featureEvents', null, LAST_WEEK)]);
    const clicks = new Map<unknown, number>();
    for (const row of rows)
      clicks.set(row.featureId, (clicks.get(row.featureId) ?? 0) + Number(row.numEvents));
    const ranked = [...clicks.values()].sort((a, b) => b - a);
    const top = ranked.slice(0, Math.ceil(ranked.length / 10));
    expect(
      sum(
        top.map((n) => ({ n })),
        'n',
      ) /
        sum(
          ranked.map((n) => ({ n })),
          'n',
        ),
    ).toBeGreaterThan(0.3);
  });
});

describe('event sources', () => {
  it('default app only without appId', async () => {
    const rows = await aggregate(sim, [eventSource('pageEvents', null, LAST_WEEK)]);
    expect(new Set(rows.map((row) => row.appId))).toEqual(new Set([DEFAULT_APP_ID]));
    const listed = await aggregate(sim, [
      eventSource(
        'pageEvents',
        { appId: [String(DEFAULT_APP_ID), String(sim.apps[1])] },
        LAST_WEEK,
      ),
    ]);
    expect(new Set(listed.map((row) => row.appId))).toEqual(new Set([DEFAULT_APP_ID, sim.apps[1]]));
  });

  it('narrows to one page', async () => {
    const all = await aggregate(sim, [eventSource('pageEvents', null, LAST_WEEK)]);
    const pageId = all[0]?.pageId;
    const narrowed = await aggregate(sim, [eventSource('pageEvents', { pageId }, LAST_WEEK)]);
    expect(narrowed).toEqual(all.filter((row) => row.pageId === pageId));
  });

  it('same seed gives the same rows', async () => {
    const other = await startActivitySimulator();
    try {
      const pipeline = [eventSource('guideEvents', ALL_APPS, LAST_WEEK)];
      expect(await aggregate(other, pipeline)).toEqual(await aggregate(sim, pipeline));
    } finally {
      await other.close();
    }
  });

  it('another seed gives other rows', async () => {
    const other = await startActivitySimulator({ seed: 'other-seed' });
    try {
      const pipeline = [eventSource('pageEvents', null, LAST_WEEK), { limit: 20 }];
      expect(await aggregate(other, pipeline)).not.toEqual(await aggregate(sim, pipeline));
    } finally {
      await other.close();
    }
  });
});

describe('truth totals', () => {
  it.each([
    ['pageEvents', 'day'],
    ['featureEvents', 'hour'],
    ['events', 'day'],
    ['guideEvents', 'hour'],
    ['trackEvents', 'hour'],
  ] as const)('%s per %s equal HTTP sums', async (source, period) => {
    const now = sim.clock.now();
    const from = now - 3 * DAY_MS;
    const series = { period: `${period}Range`, first: from, last: 'now()' };
    const rows = await aggregate(sim, [eventSource(source, ALL_APPS, series)]);
    const totals = sim.eventTotals({ source, period, from, to: now });
    const key = source === 'guideEvents' ? undefined : period;
    for (const bucket of totals) {
      const inBucket = key
        ? rows.filter((row) => row[key] === bucket.start)
        : rows.filter(
            (row) =>
              Number(row.browserTime) >= bucket.start &&
              Number(row.browserTime) < bucket.start + (period === 'hour' ? HOUR_MS : DAY_MS),
          );
      expect(inBucket.length).toBe(bucket.rows);
      if (key) expect(sum(inBucket, 'numEvents')).toBe(bucket.numEvents);
      if (key) expect(sum(inBucket, 'numMinutes')).toBe(bucket.numMinutes);
      expect(new Set(inBucket.map((row) => row.visitorId)).size).toBe(bucket.uniqueVisitors);
    }
    expect(
      sum(
        totals.map((bucket) => ({ rows: bucket.rows })),
        'rows',
      ),
    ).toBe(rows.length);
    expect([...sim.eventRows({ source, period, from, to: now })]).toEqual(rows);
  });

  it('hour rows add up to day rows', () => {
    const now = sim.clock.now();
    const days = sim.eventTotals({
      source: 'pageEvents',
      period: 'day',
      from: now - 2 * DAY_MS,
      to: now - DAY_MS,
    });
    const day = days[0];
    const end = day ? day.start + DAY_MS : 0;
    const hours = sim.eventTotals({
      source: 'pageEvents',
      period: 'hour',
      from: day?.start ?? 0,
      to: end,
    });
    expect(
      sum(
        hours.map((bucket) => ({ n: bucket.numEvents })),
        'n',
      ),
    ).toBe(day?.numEvents);
  });
});

describe('operators on events', () => {
  const source = eventSource('featureEvents', ALL_APPS, LAST_WEEK);

  it('filter, sort, skip, limit, select', async () => {
    const all = await aggregate(sim, [source]);
    const rows = await aggregate(sim, [
      source,
      { filter: 'numEvents >= 2' },
      { sort: ['day', 'visitorId', 'firstTime'] },
      { skip: 5 },
      { limit: 40 },
      { select: { visitorId: 'visitorId', day: 'day', firstTime: 'firstTime' } },
    ]);
    const expected = all
      .filter((row) => Number(row.numEvents) >= 2)
      .sort(
        (a, b) =>
          Number(a.day) - Number(b.day) ||
          (String(a.visitorId) < String(b.visitorId)
            ? -1
            : String(a.visitorId) > String(b.visitorId)
              ? 1
              : 0) ||
          Number(a.firstTime) - Number(b.firstTime),
      )
      .slice(5, 45)
      .map((row) => ({ visitorId: row.visitorId, day: row.day, firstTime: row.firstTime }));
    expect(rows).toEqual(expected);
  });

  it('keyset on lastTime pages completely', async () => {
    const all = await aggregate(sim, [source, { sort: ['lastTime', 'visitorId'] }]);
    const descending = await aggregate(sim, [source, { sort: ['-lastTime'] }, { limit: 3 }]);
    expect(descending[0]?.lastTime).toBe(all[all.length - 1]?.lastTime);
    const paged: PendoRecord[] = [];
    let filter = 'lastTime >= 0';
    for (let page = 0; page < 100; page++) {
      const rows = await aggregate(sim, [
        source,
        { filter },
        { sort: ['lastTime', 'visitorId'] },
        { limit: 200 },
      ]);
      paged.push(...rows);
      if (rows.length < 200) break;
      const tail = rows[rows.length - 1] ?? {};
      filter = `lastTime > ${Number(tail.lastTime)} || (lastTime == ${Number(tail.lastTime)} && visitorId > ${JSON.stringify(tail.visitorId)})`;
    }
    expect(paged.length).toBe(all.length);
  });

  it('count, group and reduce', async () => {
    const all = await aggregate(sim, [source]);
    expect(await aggregate(sim, [source, { count: null }])).toEqual([{ count: all.length }]);
    const [reduced] = await aggregate(sim, [
      source,
      { reduce: { total: { sum: 'numEvents' }, visitors: { count: 'visitorId' } } },
    ]);
    expect(reduced?.total).toBe(sum(all, 'numEvents'));
    expect(reduced?.visitors).toBe(new Set(all.map((row) => row.visitorId)).size);
    const groups = await aggregate(sim, [
      source,
      { group: { group: ['day'], fields: { minutes: { sum: 'numMinutes' } } } },
    ]);
    expect(groups).toHaveLength(7);
    expect(sum(groups, 'minutes')).toBe(sum(all, 'numMinutes'));
  });

  it('identified drops anonymous visitors', async () => {
    const rows = await aggregate(sim, [source, { identified: 'visitorId' }]);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => String(row.visitorId).startsWith('_PENDO_T_'))).toBe(false);
  });
});

describe('late and growing data', () => {
  it('rows appear after the lag', async () => {
    const lagged = await startActivitySimulator({ eventLagMs: 3 * HOUR_MS });
    try {
      const series = { period: 'hourRange', first: 'now() - 6 * 60 * 60 * 1000', last: 'now()' };
      const before = await aggregate(lagged, [eventSource('pageEvents', ALL_APPS, series)]);
      const horizon = lagged.clock.now() - 3 * HOUR_MS;
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((row) => Number(row.lastTime) < horizon)).toBe(true);
      lagged.clock.advance(HOUR_MS);
      const fixed = { ...series, first: horizon - 3 * HOUR_MS };
      const after = await aggregate(lagged, [eventSource('pageEvents', ALL_APPS, fixed)]);
      expect(after.length).toBeGreaterThan(before.length);
      expect(after.some((row) => Number(row.lastTime) >= horizon)).toBe(true);
      const closed = (rows: PendoRecord[]) =>
        rows.filter((row) => Number(row.hour) < horizon - HOUR_MS);
      expect(closed(after)).toEqual(closed(before));
    } finally {
      await lagged.close();
    }
  });

  it('the open period grows until it closes', async () => {
    const growing = await startActivitySimulator({ startTime: '2026-11-01T17:10:00Z' });
    try {
      const series = { period: 'hourRange', first: 'now()', count: 1 };
      const pipeline = [eventSource('featureEvents', ALL_APPS, series)];
      const first = await aggregate(growing, pipeline);
      growing.clock.advance(30 * 60_000);
      const second = await aggregate(growing, pipeline);
      expect(sum(second, 'numEvents')).toBeGreaterThan(sum(first, 'numEvents'));
      expect(sum(second, 'numMinutes')).toBeGreaterThan(sum(first, 'numMinutes'));
      const lastTimes = (rows: PendoRecord[]) =>
        Math.max(...rows.map((row) => Number(row.lastTime)));
      expect(lastTimes(second)).toBeGreaterThan(lastTimes(first));
      growing.clock.advance(2 * HOUR_MS);
      const closedSeries = {
        period: 'hourRange',
        first: Date.parse('2026-11-01T17:00:00Z'),
        count: 1,
      };
      const closedPipeline = [eventSource('featureEvents', ALL_APPS, closedSeries)];
      const third = await aggregate(growing, closedPipeline);
      growing.clock.advance(5 * HOUR_MS);
      expect(await aggregate(growing, closedPipeline)).toEqual(third);
    } finally {
      await growing.close();
    }
  });
});

describe('size cap', () => {
  it('windows over maxDays time out', async () => {
    const capped = await startActivitySimulator({ aggregationLimits: { maxDays: 7 } });
    try {
      const wide = await tryAggregate(capped, [
        eventSource('pageEvents', null, { ...LAST_WEEK, count: -8 }),
      ]);
      expect(wide.status).toBe(408);
      expect(wide.text).toBe(TIMEOUT_TEXT);
      const narrow = await tryAggregate(capped, [eventSource('pageEvents', null, LAST_WEEK)]);
      expect(narrow.status).toBe(200);
    } finally {
      await capped.close();
    }
  });

  it('windows over maxRows time out', async () => {
    const capped = await startActivitySimulator({ aggregationLimits: { maxRows: 1000 } });
    try {
      const wide = await tryAggregate(capped, [eventSource('pageEvents', ALL_APPS, LAST_WEEK)]);
      expect(wide.status).toBe(408);
      const day = await tryAggregate(capped, [
        eventSource('pageEvents', ALL_APPS, { ...LAST_WEEK, count: -1 }),
      ]);
      expect(day.status).toBe(200);
      expect(day.results.length).toBeLessThanOrEqual(1000);
    } finally {
      await capped.close();
    }
  });
});

describe('event totals route', () => {
  it('returns the same totals as the method', async () => {
    const now = sim.clock.now();
    const query = { source: 'pollEvents', period: 'day', from: now - 5 * DAY_MS, to: now };
    const response = await fetch(`${sim.url}/_simulator/event-totals`, {
      method: 'POST',
      body: JSON.stringify(query),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(
      sim.eventTotals({ ...query, source: 'pollEvents', period: 'day' }),
    );
  });

  it('rejects an unknown source', async () => {
    const response = await fetch(`${sim.url}/_simulator/event-totals`, {
      method: 'POST',
      body: JSON.stringify({ source: 'clicks', period: 'day', from: 0, to: 1 }),
    });
    expect(response.status).toBe(400);
  });
});
