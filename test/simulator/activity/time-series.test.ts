import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../src/simulator/index';
import type { PendoRecord } from '../../../src/types';
import {
  ALL_APPS,
  DAY_MS,
  HOUR_MS,
  eventSource,
  startActivitySimulator,
  sum,
  tryAggregate,
} from './activity-helpers';

/** Clock start: 2026-11-10 12:00 UTC, 07:00 in New York. */
const START = Date.UTC(2026, 10, 10, 12);
/** Local midnights in New York around the end of daylight saving time on 2026-11-01. */
const OCT_31 = Date.UTC(2026, 9, 31, 4);
const NOV_1 = Date.UTC(2026, 10, 1, 4);
const NOV_2 = Date.UTC(2026, 10, 2, 5);
const NOV_3 = Date.UTC(2026, 10, 3, 5);
const NOV_10 = Date.UTC(2026, 10, 10, 5);

let sim: Simulator;

beforeAll(async () => {
  sim = await startActivitySimulator({ startTime: START, eventsStart: '2026-10-20T12:00:00Z' });
});
afterAll(async () => {
  await sim.close();
});

async function pageDays(timeSeries: Record<string, unknown>): Promise<number[]> {
  const { status, text, results } = await tryAggregate(sim, [
    eventSource('pageEvents', null, { period: 'dayRange', ...timeSeries }),
  ]);
  expect(status, text).toBe(200);
  return [...new Set(results.map((row) => Number(row.day)))].sort((a, b) => a - b);
}

async function pageHours(timeSeries: Record<string, unknown>): Promise<PendoRecord[]> {
  const { status, text, results } = await tryAggregate(sim, [
    eventSource('pageEvents', ALL_APPS, { period: 'hourRange', ...timeSeries }),
  ]);
  expect(status, text).toBe(200);
  return results;
}

describe('timeSeries forms', () => {
  it('first as a number snaps to local midnight', async () => {
    expect(await pageDays({ first: NOV_2 + 15 * HOUR_MS, count: 1 })).toEqual([NOV_2]);
  });

  it('first as a numeric string', async () => {
    expect(await pageDays({ first: String(OCT_31 + 60_000), count: 2 })).toEqual([OCT_31, NOV_1]);
  });

  it('date() is read in the subscription zone', async () => {
    expect(await pageDays({ first: 'date(2026, 11, 1)', count: 2 })).toEqual([NOV_1, NOV_2]);
  });

  it('now() arithmetic', async () => {
    const days = await pageDays({ first: 'now() - 9 * 24 * 60 * 60 * 1000', count: 2 });
    expect(days).toEqual([NOV_1, NOV_2]);
  });

  it('negative count is the periods before first', async () => {
    expect(await pageDays({ first: 'now()', count: -1 })).toEqual([NOV_10 - DAY_MS]);
    expect(await pageDays({ first: NOV_3, count: -2 })).toEqual([NOV_1, NOV_2]);
  });

  it('last now() includes the open day', async () => {
    const days = await pageDays({ first: NOV_10 - DAY_MS, last: 'now()' });
    expect(days).toEqual([NOV_10 - DAY_MS, NOV_10]);
  });

  it('future last returns data up to now', async () => {
    const future = await pageDays({
      first: NOV_10 - DAY_MS,
      last: 'now() + 30 * 24 * 60 * 60 * 1000',
    });
    expect(future).toEqual([NOV_10 - DAY_MS, NOV_10]);
  });

  it('hour first snaps to the top of the hour', async () => {
    const rows = await pageHours({ first: NOV_2 + 30 * 60_000, count: 2 });
    const hours = new Set(rows.map((row) => row.hour));
    expect([...hours].sort()).toEqual([NOV_2, NOV_2 + HOUR_MS]);
    expect(rows.every((row) => row.day === undefined)).toBe(true);
  });

  it('rows lie inside their bucket', async () => {
    const rows = await pageHours({ first: NOV_2, count: 3 });
    for (const row of rows) {
      const hour = Number(row.hour);
      expect(Number(row.firstTime)).toBeGreaterThanOrEqual(hour);
      expect(Number(row.lastTime)).toBeLessThan(hour + HOUR_MS);
      expect(Number(row.lastTime)).toBeGreaterThanOrEqual(Number(row.firstTime));
    }
  });
});

describe('daylight saving days', () => {
  it('2026-11-01 has 25 hours', async () => {
    const hours = await pageHours({ first: 'date(2026, 11, 1)', count: 25 });
    const dayRows = (
      await tryAggregate(sim, [
        eventSource('pageEvents', ALL_APPS, { period: 'dayRange', first: NOV_1, count: 1 }),
      ])
    ).results;
    expect(NOV_2 - NOV_1).toBe(25 * HOUR_MS);
    expect(new Set(hours.map((row) => row.hour)).size).toBe(25);
    expect(hours.every((row) => Number(row.hour) < NOV_2)).toBe(true);
    expect(dayRows.every((row) => row.day === NOV_1)).toBe(true);
    expect(sum(hours, 'numEvents')).toBe(sum(dayRows, 'numEvents'));
    const lastHour = hours.filter((row) => row.hour === NOV_2 - HOUR_MS);
    expect(lastHour.length).toBeGreaterThan(0);
  });

  it('2026-03-08 has 23 hours', async () => {
    const march = await startActivitySimulator({ startTime: '2026-03-20T12:00:00Z' });
    try {
      const start = Date.UTC(2026, 2, 8, 5);
      const next = Date.UTC(2026, 2, 9, 4);
      const body = (period: string, count: number) => [
        eventSource('featureEvents', ALL_APPS, { period, first: 'date(2026, 3, 8)', count }),
      ];
      const days = (await tryAggregate(march, body('dayRange', 2))).results;
      const hours = (await tryAggregate(march, body('hourRange', 23))).results;
      expect(new Set(days.map((row) => row.day))).toEqual(new Set([start, next]));
      expect(new Set(hours.map((row) => row.hour)).size).toBe(23);
      const firstDay = days.filter((row) => row.day === start);
      expect(sum(hours, 'numEvents')).toBe(sum(firstDay, 'numEvents'));
    } finally {
      await march.close();
    }
  });

  it('truth buckets follow the zone', () => {
    const totals = sim.eventTotals({
      source: 'guideEvents',
      period: 'day',
      from: OCT_31,
      to: NOV_3,
    });
    expect(totals.map((bucket) => bucket.start)).toEqual([OCT_31, NOV_1, NOV_2]);
  });

  it('another time zone moves the days', async () => {
    const tokyo = await startActivitySimulator({ startTime: START, timeZone: 'Asia/Tokyo' });
    try {
      const { results } = await tryAggregate(tokyo, [
        eventSource('pageEvents', null, {
          period: 'dayRange',
          first: 'date(2026, 11, 5)',
          count: 1,
        }),
      ]);
      expect(results.length).toBeGreaterThan(0);
      expect(results.every((row) => row.day === Date.UTC(2026, 10, 4, 15))).toBe(true);
    } finally {
      await tokyo.close();
    }
  });
});

describe('timeSeries errors', () => {
  const cases: [string, unknown[]][] = [
    ['no timeSeries', [{ source: { pageEvents: null } }]],
    ['bad period', [eventSource('pageEvents', null, { period: 'weekRange', first: 0, count: 1 })]],
    [
      'count and last',
      [eventSource('pageEvents', null, { period: 'dayRange', first: 0, count: 1, last: 'now()' })],
    ],
    [
      'zero count',
      [eventSource('pageEvents', null, { period: 'dayRange', first: 'now()', count: 0 })],
    ],
    [
      'bad expression',
      [eventSource('pageEvents', null, { period: 'dayRange', first: 'now(', count: 1 })],
    ],
    [
      'bad appId',
      [
        eventSource(
          'pageEvents',
          { appId: 'all' },
          { period: 'dayRange', first: 'now()', count: -1 },
        ),
      ],
    ],
  ];
  it.each(cases)('%s is 422', async (_name, pipeline) => {
    const { status, text } = await tryAggregate(sim, pipeline);
    expect(status).toBe(422);
    expect(text.length).toBeGreaterThan(0);
  });
});
