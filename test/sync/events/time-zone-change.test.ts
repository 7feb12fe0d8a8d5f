import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../../src/db/queryable';
import { rebuildRollups } from '../../../src/db/rollups/rebuild';
import { silentLogger } from '../../../src/log';
import { createPendoClient } from '../../../src/pendo/client';
import { startSimulator } from '../../../src/simulator/index';
import type { Simulator } from '../../../src/simulator/index';
import { localDate, nextLocalDay, startOfLocalDay } from '../../../src/sync/events/local-days';
import { hasEventDrift, verifyEventStream } from '../../../src/verify/verify-events';
import { createTestDatabase } from '../../helpers/database';
import type { TestDatabase } from '../../helpers/database';
import { SMALL_SIZES } from '../helpers';
import { entriesOf, rowVersions, runEventSync } from './helpers';
import type { TotalsByDay } from './helpers';

const NEW_YORK = 'America/New_York';
const TOKYO = 'Asia/Tokyo';
const DAY_MS = 86_400_000;
const START_TIME = Date.parse('2026-11-20T15:30:00Z');
const SINCE = START_TIME - 6 * DAY_MS;
const SIMULATOR = {
  seed: 'time-zone-change',
  sizes: { ...SMALL_SIZES, visitors: 60, accounts: 10 },
  startTime: START_TIME,
  eventsStart: START_TIME - 10 * DAY_MS,
  eventsPerDay: 400,
};

let database: TestDatabase;
let pool: pg.Pool;
let simulator: Simulator | undefined;

/** Starts the simulator again with the same seed and clock, in `timeZone`. */
async function restartSimulator(timeZone: string): Promise<Simulator> {
  await simulator?.close();
  simulator = await startSimulator({ ...SIMULATOR, timeZone });
  return simulator;
}

/** Syncs page_events and events in `timeZone` against the simulator started in that zone. */
async function syncIn(timeZone: string, since = SINCE) {
  const target = await restartSimulator(timeZone);
  return runEventSync(
    { simulator: target, pool },
    {
      streams: ['page_events', 'events'],
      since,
      timeZone,
    },
  );
}

/** Sums the simulator's page_events rows per local day of `timeZone` and app, from `since`. */
function pageTruth(target: Simulator, timeZone: string): TotalsByDay {
  const totals: TotalsByDay = new Map();
  const visitors = new Map<string, Set<string>>();
  const end = target.clock.now();
  for (let day = startOfLocalDay(timeZone, SINCE); day < end; day = nextLocalDay(timeZone, day)) {
    const query = { source: 'pageEvents' as const, period: 'day' as const, from: day };
    for (const row of target.eventRows({ ...query, to: nextLocalDay(timeZone, day) })) {
      const key = `${localDate(timeZone, day)} ${String(row.appId)}`;
      const sums = totals.get(key) ?? { rows: 0, numEvents: 0, visitors: 0 };
      const seen = visitors.get(key) ?? new Set<string>();
      seen.add(String(row.visitorId));
      sums.rows += 1;
      sums.numEvents += Number(row.numEvents);
      sums.visitors = seen.size;
      totals.set(key, sums);
      visitors.set(key, seen);
    }
  }
  return totals;
}

/** Sums the stored page_events rows per local day of `timeZone` and app. */
async function storedPageTotals(timeZone: string): Promise<TotalsByDay> {
  const result = await pool.query<{ key: string; rows: string; events: string; visitors: string }>(
    `select to_char(bucket_start at time zone $1, 'YYYY-MM-DD') || ' ' || app_id as key,
            count(*) as rows, sum(num_events) as events, count(distinct visitor_id) as visitors
     from pendo_page_events group by 1`,
    [timeZone],
  );
  return new Map(
    result.rows.map((row) => [
      row.key,
      { rows: Number(row.rows), numEvents: Number(row.events), visitors: Number(row.visitors) },
    ]),
  );
}

/** Returns pendo_page_daily summed per day and app, in the shape of `TotalsByDay` without rows. */
async function pageDailyTotals(): Promise<[string, { numEvents: number }][]> {
  const result = await pool.query<{ key: string; views: string }>(
    `select day::text || ' ' || app_id as key, sum(views) as views
     from pendo_page_daily group by 1 order by 1`,
  );
  return result.rows.map((row) => [row.key, { numEvents: Number(row.views) }]);
}

/** Counts the rows of a table whose timestamp column is not a local midnight of `timeZone`. */
async function countOffMidnight(table: string, column: string, timeZone: string): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `select count(*) as count from ${table}
     where ${column} <> ((${column} at time zone $1)::date)::timestamp at time zone $1`,
    [timeZone],
  );
  return Number(result.rows[0]?.count ?? 0);
}

/** Returns the window count of each recorded time zone ('null' for unknown) over all streams. */
async function windowZones(): Promise<Record<string, number>> {
  const result = await pool.query<{ zone: string; count: string }>(
    `select coalesce(time_zone, 'null') as zone, count(*) as count
     from sync_event_windows group by 1`,
  );
  return Object.fromEntries(result.rows.map((row) => [row.zone, Number(row.count)]));
}

/** Returns every rollup row of the two synced streams, as text, sorted. */
async function rollupSnapshot(db: Queryable): Promise<string[]> {
  const result = await db.query<{ row: string }>(
    `select 'page ' || t::text as row from pendo_page_daily t
     union all select 'activity ' || t::text from pendo_activity_hourly t order by 1`,
  );
  return result.rows.map((row) => row.row);
}

async function verifyPages(target: Simulator, timeZone: string) {
  const pendo = createPendoClient({
    apiKey: target.apiKey,
    baseUrl: target.url,
    logger: silentLogger,
  });
  return verifyEventStream(pool, pendo, 'page_events', { appIds: 'all', timeZone });
}

function warningsOf(lines: string[]): string[] {
  return lines.filter((line) => line.includes('time zone changed'));
}

beforeAll(async () => {
  database = await createTestDatabase();
  pool = database.pool;
});

afterAll(async () => {
  await simulator?.close();
  await database?.drop();
});

describe('a change of the subscription time zone', () => {
  it('replaces old zone rows with new zone rows', async () => {
    const first = await syncIn(NEW_YORK);
    expect(first.summary.status).toBe('completed');
    expect(warningsOf(first.logLines)).toEqual([]);
    expect(await windowZones()).toEqual({ [NEW_YORK]: 14 });
    expect(await countOffMidnight('pendo_page_events', 'bucket_start', NEW_YORK)).toBe(0);

    const second = await syncIn(TOKYO);
    const target = simulator as Simulator;
    expect(second.summary.status).toBe('completed');
    expect(await windowZones()).toEqual({ [TOKYO]: 14 });
    expect(await countOffMidnight('sync_event_windows', 'window_start', TOKYO)).toBe(0);
    expect(await countOffMidnight('pendo_page_events', 'bucket_start', TOKYO)).toBe(0);
    const truth = pageTruth(target, TOKYO);
    expect(truth.size).toBeGreaterThan(0);
    expect(entriesOf(await storedPageTotals(TOKYO))).toEqual(entriesOf(truth));
    const dailyTruth = entriesOf(truth).map(([key, sums]) => [key, { numEvents: sums.numEvents }]);
    expect(await pageDailyTotals()).toEqual(dailyTruth);

    const drift = await verifyPages(target, TOKYO);
    expect(drift.finalDays).toBeGreaterThan(0);
    expect(drift.drifted).toEqual([]);
    expect(hasEventDrift(drift)).toBe(false);
    const warnings = warningsOf(second.logLines);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`from ${NEW_YORK} to ${TOKYO}`);
    expect(second.stream('page_events').mode).toBe('backfill');

    // rebuild-rollups in the new zone computes the rows the sync wrote. The tables are emptied
    // first so that only rebuilt rows are compared, and the transaction is rolled back.
    const rollups = await rollupSnapshot(pool);
    expect(rollups.length).toBeGreaterThan(0);
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('delete from pendo_page_daily');
      await client.query('delete from pendo_activity_hourly');
      await rebuildRollups(client, { timeZone: TOKYO });
      expect(await rollupSnapshot(client)).toEqual(rollups);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('deletes nothing on a rerun', async () => {
    const before = await rowVersions(pool, 'page_events');
    const run = await syncIn(TOKYO);
    expect(run.summary.status).toBe('completed');
    expect(warningsOf(run.logLines)).toEqual([]);
    expect(run.stream('page_events').mode).toBe('incremental');
    expect(run.stream('page_events').counts.deleted).toBe(0);
    expect(await rowVersions(pool, 'page_events')).toEqual(before);
    expect(await windowZones()).toEqual({ [TOKYO]: 14 });
  });

  it('keeps unknown zone windows of matching days', async () => {
    await pool.query('update sync_event_windows set time_zone = null');
    const before = await rowVersions(pool, 'page_events');
    const run = await syncIn(TOKYO);
    expect(warningsOf(run.logLines)).toEqual([]);
    expect(await rowVersions(pool, 'page_events')).toEqual(before);
    expect(await windowZones()).toEqual({ [TOKYO]: 14 });
  });

  it('replaces unknown zone windows of other days', async () => {
    await pool.query('update sync_event_windows set time_zone = null');
    const run = await syncIn(NEW_YORK);
    const target = simulator as Simulator;
    expect(run.summary.status).toBe('completed');
    const warnings = warningsOf(run.logLines);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`from an unknown zone to ${NEW_YORK}`);
    expect(await windowZones()).toEqual({ [NEW_YORK]: 14 });
    expect(await countOffMidnight('pendo_page_events', 'bucket_start', NEW_YORK)).toBe(0);
    expect(entriesOf(await storedPageTotals(NEW_YORK))).toEqual(
      entriesOf(pageTruth(target, NEW_YORK)),
    );
    expect(hasEventDrift(await verifyPages(target, NEW_YORK))).toBe(false);
  });
});

describe('a backfill start in the future', () => {
  it('reads nothing and warns per stream', async () => {
    const run = await syncIn(NEW_YORK, START_TIME + 3 * DAY_MS);
    expect(run.summary.status).toBe('completed');
    for (const stream of ['page_events', 'events'] as const) {
      expect(run.stream(stream).windowsPlanned).toBe(0);
    }
    const warnings = run.logLines.filter((line) => line.includes('no window is read'));
    expect(warnings).toHaveLength(2);
    expect(warningsOf(run.logLines)).toEqual([]);
  });
});
