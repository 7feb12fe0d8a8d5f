import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStream } from '../../src/events/streams';
import type { Queryable } from '../../src/db/queryable';
import {
  readTopFeatures,
  rebuildRollups,
  refreshRollups,
  updateGuideCompletions,
} from '../../src/db/rollups';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import {
  isoWeekday,
  localTimeIn,
  readAllRollups,
  readRollup,
  rollUp,
  sortRows,
} from '../helpers/rollup-sums';
import type { Json, RollupTable } from '../helpers/rollup-sums';

const TIME_ZONE = 'America/New_York';
const HOUR_MS = 3_600_000;
const APPS = [-323232, 5001];
/** Three days around each DST change of 2026 in New York: 2026-03-08 has 23 hours, 2026-11-01 has 25. */
const SPRING_DAYS = ['2026-03-07', '2026-03-08', '2026-03-09'];
const FALL_DAYS = ['2026-10-31', '2026-11-01', '2026-11-02'];
/** The day whose pendo_events rows are day rows. Every other day has hour rows. */
const DAY_ROWS_DAY = '2026-03-09';
const EVENT_TABLES = [
  'pendo_events',
  'pendo_feature_events',
  'pendo_page_events',
  'pendo_guide_events',
  'pendo_poll_events',
];
const MONTHS = ['2026-03', '2026-10', '2026-11'];
const VISITORS = ['v-ann', 'v-bob', 'v-cy', 'v-dee', 'v-eve', 'v-fay'];
const ACCOUNTS = ['acme', 'globex', null];
const FEATURES = ['feat-export', 'feat-search', 'feat-share'];
const PAGES = ['page-home', 'page-report'];
const GUIDE_TYPES = [
  'guideSeen',
  'guideSeen',
  'guideAdvanced',
  'guideAdvanced',
  'guideDismissed',
  'guideActivity',
];
/** Stored guides and their step ids in order. guide-unknown is not stored at first. */
const GUIDE_STEPS: Record<string, string[]> = {
  'guide-tour': ['tour-1', 'tour-2', 'tour-3'],
  'guide-tip': ['tip-1'],
};
const GUIDES = ['guide-tour', 'guide-tip', 'guide-unknown'];
const STEPS_OF: Record<string, (string | null)[]> = {
  'guide-tour': ['tour-1', 'tour-2', 'tour-3'],
  'guide-tip': ['tip-1', null],
  'guide-unknown': ['unknown-1', 'unknown-2'],
};

interface ActivityRow {
  app_id: number;
  period: 'day' | 'hour';
  bucket_start: number;
  visitor_id: string;
  account_id: string | null;
  num_events: number;
  num_minutes: number;
  first_time: number | null;
}

interface FeatureRow {
  app_id: number;
  period: 'day' | 'hour';
  bucket_start: number;
  feature_id: string;
  visitor_id: string;
  account_id: string | null;
  num_events: number;
  num_minutes: number;
}

interface PageRow {
  app_id: number;
  period: 'day' | 'hour';
  bucket_start: number;
  page_id: string;
  visitor_id: string;
  account_id: string | null;
  num_events: number;
  num_minutes: number;
  rage_click_count: number | null;
  dead_click_count: number | null;
  error_click_count: number | null;
  u_turn_count: number | null;
}

interface GuideRow {
  app_id: number;
  browser_time: number;
  guide_id: string;
  guide_step_id: string | null;
  type: string;
  visitor_id: string;
}

interface PollRow {
  app_id: number;
  browser_time: number;
  guide_id: string;
  poll_id: string;
  type: string;
  visitor_id: string;
}

/** Every event row inserted so far, per table. */
interface EventRows {
  activity: ActivityRow[];
  features: FeatureRow[];
  pages: PageRow[];
  guides: GuideRow[];
  polls: PollRow[];
}

// ---------------------------------------------------------------------------------------------
// Local time, computed with Intl so that the expected values do not depend on PostgreSQL.

const localTime = localTimeIn(TIME_ZONE);

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 24 * HOUR_MS).toISOString().slice(0, 10);
}

/** Local midnight of `day`: the first UTC hour that is on `day` in New York (whole-hour offsets). */
function localMidnight(day: string): number {
  let instant = Date.parse(`${day}T00:00:00Z`);
  for (let step = 0; step < 48 && localTime(instant).day !== day; step++) instant += HOUR_MS;
  return instant;
}

function hourBuckets(day: string): number[] {
  const hours: number[] = [];
  for (let hour = localMidnight(day); hour < localMidnight(nextDay(day)); hour += HOUR_MS) {
    hours.push(hour);
  }
  return hours;
}

// ---------------------------------------------------------------------------------------------
// Seeded rows.

/** A small seeded generator (mulberry32), so every run inserts the same rows. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function accountOf(visitorId: string): string | null {
  return ACCOUNTS[VISITORS.indexOf(visitorId) % ACCOUNTS.length] ?? null;
}

/** Generates the rows of one day: hour or day rows of activity, day rows of usage, interactions. */
function generateDay(day: string, seed: number): EventRows {
  const random = seededRandom(seed);
  const start = localMidnight(day);
  const end = localMidnight(nextDay(day));
  const rows: EventRows = { activity: [], features: [], pages: [], guides: [], polls: [] };
  for (const app of APPS) {
    if (day === DAY_ROWS_DAY) {
      for (const visitor of VISITORS.slice(0, 4)) {
        rows.activity.push({
          app_id: app,
          period: 'day',
          bucket_start: start,
          visitor_id: visitor,
          account_id: accountOf(visitor),
          num_events: int(random, 1, 40),
          num_minutes: int(random, 1, 20),
          first_time: start + int(random, 0, 23) * HOUR_MS + int(random, 0, HOUR_MS - 1),
        });
      }
    } else {
      for (const hour of hourBuckets(day)) {
        for (let count = int(random, 1, 3); count > 0; count--) {
          const visitor = pick(random, VISITORS);
          rows.activity.push({
            app_id: app,
            period: 'hour',
            bucket_start: hour,
            visitor_id: visitor,
            account_id: accountOf(visitor),
            num_events: int(random, 1, 30),
            num_minutes: int(random, 1, 10),
            first_time: hour + int(random, 0, HOUR_MS - 1),
          });
        }
      }
    }
    for (let count = 0; count < 10; count++) {
      const visitor = pick(random, VISITORS);
      rows.features.push({
        app_id: app,
        period: 'day',
        bucket_start: start,
        feature_id: pick(random, FEATURES),
        visitor_id: visitor,
        account_id: accountOf(visitor),
        num_events: int(random, 1, 25),
        num_minutes: int(random, 1, 5),
      });
      const counters = count % 3 === 0;
      rows.pages.push({
        app_id: app,
        period: 'day',
        bucket_start: start,
        page_id: pick(random, PAGES),
        visitor_id: visitor,
        account_id: accountOf(visitor),
        num_events: int(random, 1, 25),
        num_minutes: int(random, 1, 15),
        rage_click_count: counters ? null : int(random, 0, 3),
        dead_click_count: counters ? null : int(random, 0, 3),
        error_click_count: counters ? null : int(random, 0, 2),
        u_turn_count: counters ? null : int(random, 0, 2),
      });
    }
    for (let count = 0; count < 30; count++) {
      const guide = pick(random, GUIDES);
      rows.guides.push({
        app_id: app,
        browser_time: start + Math.floor(random() * (end - start)),
        guide_id: guide,
        guide_step_id: pick(random, STEPS_OF[guide] ?? []),
        type: pick(random, GUIDE_TYPES),
        visitor_id: pick(random, VISITORS),
      });
    }
    for (let count = 0; count < 6; count++) {
      rows.polls.push({
        app_id: app,
        browser_time: start + Math.floor(random() * (end - start)),
        guide_id: 'guide-tour',
        poll_id: pick(random, ['poll-nps', 'poll-text']),
        type: 'pollResponse',
        visitor_id: pick(random, VISITORS),
      });
    }
  }
  return rows;
}

/**
 * Rows that pin down the hard cases: one visitor's three rows of one feature on one day, the
 * two 1 AM hours of 2026-11-01, and guide events just before and after local midnight.
 */
function edgeRows(): EventRows {
  const fallStart = localMidnight('2026-11-01');
  const app = APPS[0] ?? 0;
  const repeat = (bucket: number, events: number): FeatureRow => ({
    app_id: app,
    period: 'hour',
    bucket_start: bucket,
    feature_id: 'feat-repeat',
    visitor_id: 'v-repeat',
    account_id: 'repeat-account',
    num_events: events,
    num_minutes: 1,
  });
  const guide = (time: number, type: string): GuideRow => ({
    app_id: app,
    browser_time: time,
    guide_id: 'guide-edge',
    guide_step_id: 'edge-1',
    type,
    visitor_id: 'v-edge',
  });
  return {
    activity: [
      // 01:00 EDT and 01:00 EST: both are local hour 1.
      {
        app_id: app,
        period: 'hour',
        bucket_start: fallStart + HOUR_MS,
        visitor_id: 'v-night',
        account_id: null,
        num_events: 1000,
        num_minutes: 7,
        first_time: null,
      },
      {
        app_id: app,
        period: 'hour',
        bucket_start: fallStart + 2 * HOUR_MS,
        visitor_id: 'v-night',
        account_id: null,
        num_events: 2000,
        num_minutes: 9,
        first_time: null,
      },
    ],
    features: [
      repeat(fallStart + 9 * HOUR_MS, 3),
      repeat(fallStart + 10 * HOUR_MS, 4),
      repeat(fallStart + 23 * HOUR_MS, 5),
    ],
    pages: [],
    guides: [
      // 23:30 EST on 2026-11-01 is 04:30 UTC on 2026-11-02, and 00:30 EST is on the next day.
      guide(Date.parse('2026-11-02T04:30:00Z'), 'guideSeen'),
      guide(Date.parse('2026-11-02T05:30:00Z'), 'guideDismissed'),
      // 23:30 EDT on 2026-03-08 is 03:30 UTC on 2026-03-09.
      guide(Date.parse('2026-03-09T03:30:00Z'), 'guideSeen'),
    ],
    polls: [],
  };
}

function mergeRows(...parts: EventRows[]): EventRows {
  return {
    activity: parts.flatMap((part) => part.activity),
    features: parts.flatMap((part) => part.features),
    pages: parts.flatMap((part) => part.pages),
    guides: parts.flatMap((part) => part.guides),
    polls: parts.flatMap((part) => part.polls),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing rows.

let rowSequence = 0;

/** Adds the columns every event row has: raw (unique per row), row_hash and synced_at. */
function storedRow(row: Json, timeFields: string[]): Json {
  const stored: Json = { ...row };
  for (const field of timeFields) {
    const value = row[field];
    if (typeof value === 'number') stored[field] = new Date(value).toISOString();
  }
  const raw = { ...row, sequence: ++rowSequence };
  stored.raw = raw;
  const hash = createHash('md5').update(JSON.stringify(raw)).digest('hex');
  stored.row_hash = [
    hash.slice(0, 8),
    hash.slice(8, 12),
    hash.slice(12, 16),
    hash.slice(16, 20),
    hash.slice(20),
  ].join('-');
  stored.synced_at = new Date().toISOString();
  return stored;
}

async function insertInto(db: Queryable, table: string, rows: Json[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `insert into ${table} select * from jsonb_populate_recordset(null::${table}, $1)`,
    [JSON.stringify(rows)],
  );
}

async function insertRows(db: Queryable, rows: EventRows): Promise<void> {
  const aggregateTimes = ['bucket_start', 'first_time'];
  await insertInto(
    db,
    'pendo_events',
    rows.activity.map((row) => storedRow({ ...row }, aggregateTimes)),
  );
  await insertInto(
    db,
    'pendo_feature_events',
    rows.features.map((row) => storedRow({ ...row }, aggregateTimes)),
  );
  await insertInto(
    db,
    'pendo_page_events',
    rows.pages.map((row) => storedRow({ ...row }, aggregateTimes)),
  );
  await insertInto(
    db,
    'pendo_guide_events',
    rows.guides.map((row) => storedRow({ ...row }, ['browser_time'])),
  );
  await insertInto(
    db,
    'pendo_poll_events',
    rows.polls.map((row) => storedRow({ ...row }, ['browser_time'])),
  );
}

/** Creates the monthly partitions the rows need, named and bounded as the sync names them. */
async function createPartitions(db: Queryable): Promise<void> {
  for (const table of EVENT_TABLES) {
    for (const month of MONTHS) {
      const start = `${month}-01T00:00:00Z`;
      const endDate = new Date(`${start}`);
      endDate.setUTCMonth(endDate.getUTCMonth() + 1);
      await db.query(
        `create table if not exists ${table}_p${month.replace('-', '')} partition of ${table}
         for values from ('${start}') to ('${endDate.toISOString()}')`,
      );
    }
  }
}

async function insertGuides(db: Queryable): Promise<void> {
  for (const [id, steps] of Object.entries(GUIDE_STEPS)) {
    await db.query(
      `insert into pendo_guides (id, app_id, raw, first_seen_at, synced_at)
       values ($1, $2, $3, now(), now())`,
      [id, APPS[0], JSON.stringify({ id, steps: steps.map((step) => ({ id: step })) })],
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Expected rollups, summed in TypeScript.

function expectedGuideDaily(rows: EventRows): Json[] {
  const groups = rollUp(
    rows.guides,
    (row) => [localTime(row.browser_time).day, row.app_id, row.guide_id],
    () => ({ views: 0, visitors: new Set<string>(), completions: 0, dismissals: 0 }),
    (sums, row) => {
      const steps = GUIDE_STEPS[row.guide_id];
      if (row.type === 'guideSeen') sums.views++;
      if (row.type === 'guideDismissed') sums.dismissals++;
      if (row.type === 'guideAdvanced' && steps && row.guide_step_id === steps.at(-1)) {
        sums.completions++;
      }
      sums.visitors.add(row.visitor_id);
    },
  );
  return sortRows(
    groups.map(([[day, app_id, guide_id], sums]) => {
      return {
        day,
        app_id,
        guide_id,
        views: sums.views,
        visitors: sums.visitors.size,
        completions: sums.completions,
        dismissals: sums.dismissals,
      };
    }),
    ['day', 'app_id', 'guide_id'],
  );
}

function expectedGuideStepDaily(rows: EventRows): Json[] {
  const groups = rollUp(
    rows.guides,
    (row): [string, number, string, string] => [
      localTime(row.browser_time).day,
      row.app_id,
      row.guide_id,
      row.guide_step_id ?? '',
    ],
    () => ({ seen: 0, advanced: 0, dismissed: 0, visitors: new Set<string>() }),
    (sums, row) => {
      if (row.type === 'guideSeen') sums.seen++;
      if (row.type === 'guideAdvanced') sums.advanced++;
      if (row.type === 'guideDismissed') sums.dismissed++;
      sums.visitors.add(row.visitor_id);
    },
  );
  return sortRows(
    groups.map(([[day, app_id, guide_id, step_id], sums]) => {
      const position = (GUIDE_STEPS[guide_id] ?? []).indexOf(step_id);
      return {
        day,
        app_id,
        guide_id,
        step_id,
        step_number: position < 0 ? null : position + 1,
        seen: sums.seen,
        advanced: sums.advanced,
        dismissed: sums.dismissed,
        visitors: sums.visitors.size,
      };
    }),
    ['day', 'app_id', 'guide_id', 'step_id'],
  );
}

function expectedFeatureDaily(rows: EventRows): Json[] {
  const groups = rollUp(
    rows.features,
    (row) => [localTime(row.bucket_start).day, row.app_id, row.feature_id],
    () => ({ clicks: 0, visitors: new Set<string>(), accounts: new Set<string>() }),
    (sums, row) => {
      sums.clicks += row.num_events;
      sums.visitors.add(row.visitor_id);
      if (row.account_id !== null) sums.accounts.add(row.account_id);
    },
  );
  return sortRows(
    groups.map(([[day, app_id, feature_id], sums]) => {
      return {
        day,
        app_id,
        feature_id,
        clicks: sums.clicks,
        visitors: sums.visitors.size,
        accounts: sums.accounts.size,
      };
    }),
    ['day', 'app_id', 'feature_id'],
  );
}

function expectedPageDaily(rows: EventRows): Json[] {
  const groups = rollUp(
    rows.pages,
    (row) => [localTime(row.bucket_start).day, row.app_id, row.page_id],
    () => ({ views: 0, minutes: 0, rage: 0, dead: 0, error: 0, uTurns: 0, visitors: new Set() }),
    (sums, row) => {
      sums.views += row.num_events;
      sums.minutes += row.num_minutes;
      sums.rage += row.rage_click_count ?? 0;
      sums.dead += row.dead_click_count ?? 0;
      sums.error += row.error_click_count ?? 0;
      sums.uTurns += row.u_turn_count ?? 0;
      sums.visitors.add(row.visitor_id);
    },
  );
  return sortRows(
    groups.map(([[day, app_id, page_id], sums]) => {
      return {
        day,
        app_id,
        page_id,
        views: sums.views,
        visitors: sums.visitors.size,
        minutes: sums.minutes,
        rage_clicks: sums.rage,
        dead_clicks: sums.dead,
        error_clicks: sums.error,
        u_turns: sums.uTurns,
      };
    }),
    ['day', 'app_id', 'page_id'],
  );
}

function expectedPollDaily(rows: EventRows): Json[] {
  const groups = rollUp(
    rows.polls,
    (row) => [localTime(row.browser_time).day, row.app_id, row.guide_id, row.poll_id],
    () => ({ responses: 0, visitors: new Set<string>() }),
    (sums, row) => {
      sums.responses++;
      sums.visitors.add(row.visitor_id);
    },
  );
  return sortRows(
    groups.map(([[day, app_id, guide_id, poll_id], sums]) => {
      return {
        day,
        app_id,
        guide_id,
        poll_id,
        responses: sums.responses,
        visitors: sums.visitors.size,
      };
    }),
    ['day', 'app_id', 'guide_id', 'poll_id'],
  );
}

function expectedActivityHourly(rows: EventRows): Json[] {
  const groups = rollUp(
    rows.activity,
    (row) => {
      const day = localTime(row.bucket_start).day;
      const hourOf =
        row.period === 'hour' ? row.bucket_start : (row.first_time ?? row.bucket_start);
      return [day, localTime(hourOf).hour, row.app_id] as [string, number, number];
    },
    () => ({ events: 0, minutes: 0, visitors: new Set<string>() }),
    (sums, row) => {
      sums.events += row.num_events;
      sums.minutes += row.num_minutes;
      sums.visitors.add(row.visitor_id);
    },
  );
  return sortRows(
    groups.map(([[day, hour, app_id], sums]) => {
      return {
        day,
        hour,
        app_id,
        iso_weekday: isoWeekday(day),
        events: sums.events,
        minutes: sums.minutes,
        visitors: sums.visitors.size,
      };
    }),
    ['day', 'hour', 'app_id'],
  );
}

/** The rollup tables, their sort keys and the TypeScript sums they must equal. */
const ROLLUP_TABLES: (RollupTable & { expected: (rows: EventRows) => Json[] })[] = [
  { table: 'pendo_guide_daily', keys: ['day', 'app_id', 'guide_id'], expected: expectedGuideDaily },
  {
    table: 'pendo_guide_step_daily',
    keys: ['day', 'app_id', 'guide_id', 'step_id'],
    expected: expectedGuideStepDaily,
  },
  {
    table: 'pendo_feature_daily',
    keys: ['day', 'app_id', 'feature_id'],
    expected: expectedFeatureDaily,
  },
  { table: 'pendo_page_daily', keys: ['day', 'app_id', 'page_id'], expected: expectedPageDaily },
  {
    table: 'pendo_poll_daily',
    keys: ['day', 'app_id', 'guide_id', 'poll_id'],
    expected: expectedPollDaily,
  },
  {
    table: 'pendo_activity_hourly',
    keys: ['day', 'hour', 'app_id'],
    expected: expectedActivityHourly,
  },
];

function onDays(rows: Json[], days: string[]): Json[] {
  return rows.filter((row) => days.includes(String(row.day)));
}

const STREAMS: EventStream[] = [
  'events',
  'feature_events',
  'page_events',
  'guide_events',
  'poll_events',
  'track_events',
];

/** Refreshes every stream's rollups over the local days [firstDay, lastDay]. */
async function refreshDays(
  db: Queryable,
  firstDay: string,
  lastDay: string,
  appIds: number[] | 'all' = 'all',
): Promise<void> {
  for (const stream of STREAMS) {
    await refreshRollups(db, {
      stream,
      from: localMidnight(firstDay),
      to: localMidnight(nextDay(lastDay)),
      timeZone: TIME_ZONE,
      appIds,
    });
  }
}

// ---------------------------------------------------------------------------------------------

describe('refreshRollups', () => {
  let database: TestDatabase;
  let rows: EventRows;

  beforeAll(async () => {
    database = await createTestDatabase();
    await createPartitions(database.pool);
    await insertGuides(database.pool);
    rows = mergeRows(
      ...[...SPRING_DAYS, ...FALL_DAYS].map((day, index) => generateDay(day, index + 1)),
      edgeRows(),
    );
    await insertRows(database.pool, rows);
    await refreshDays(database.pool, SPRING_DAYS[0] ?? '', SPRING_DAYS.at(-1) ?? '');
    await refreshDays(database.pool, FALL_DAYS[0] ?? '', FALL_DAYS.at(-1) ?? '');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('sums every rollup like TypeScript does', async () => {
    for (const { table, keys, expected } of ROLLUP_TABLES) {
      const stored = await readRollup(database.pool, table, keys);
      expect(stored.length, table).toBeGreaterThan(0);
      expect(stored, table).toEqual(expected(rows));
    }
  });

  it('counts completions on the last stored step only', async () => {
    const stored = await readRollup(database.pool, 'pendo_guide_daily', ['day']);
    const completions = (guide: string): number =>
      stored
        .filter((row) => row.guide_id === guide)
        .reduce((sum, row) => sum + Number(row.completions), 0);
    const lastStepAdvances = rows.guides.filter(
      (row) =>
        row.guide_id === 'guide-tour' &&
        row.type === 'guideAdvanced' &&
        row.guide_step_id === 'tour-3',
    ).length;
    expect(lastStepAdvances).toBeGreaterThan(0);
    expect(completions('guide-tour')).toBe(lastStepAdvances);
    expect(completions('guide-unknown')).toBe(0);
  });

  it('counts 25 hours on 2026-11-01', async () => {
    const stored = await readRollup(database.pool, 'pendo_activity_hourly', ['day', 'hour']);
    const fallDay = stored.filter((row) => row.day === '2026-11-01' && row.app_id === APPS[0]);
    expect(hourBuckets('2026-11-01')).toHaveLength(25);
    expect(fallDay.map((row) => row.hour)).toEqual([...Array(24).keys()]);
    const oneAm = rows.activity.filter(
      (row) =>
        row.app_id === APPS[0] &&
        localTime(row.bucket_start).day === '2026-11-01' &&
        localTime(row.bucket_start).hour === 1,
    );
    expect(new Set(oneAm.map((row) => row.bucket_start)).size).toBe(2);
    const oneAmRow = fallDay.find((row) => row.hour === 1);
    expect(oneAmRow?.events).toBe(oneAm.reduce((sum, row) => sum + row.num_events, 0));
    expect(oneAmRow?.events).toBeGreaterThan(3000);
    expect(oneAmRow?.iso_weekday).toBe(7);
  });

  it('puts 23:30 EST on its local day', async () => {
    const stored = await readRollup(database.pool, 'pendo_guide_daily', ['day']);
    const edge = stored.filter((row) => row.guide_id === 'guide-edge');
    expect(edge).toEqual([
      expect.objectContaining({ day: '2026-03-08', views: 1, visitors: 1 }),
      expect.objectContaining({ day: '2026-11-01', views: 1, dismissals: 0, visitors: 1 }),
      expect.objectContaining({ day: '2026-11-02', views: 0, dismissals: 1, visitors: 1 }),
    ]);
  });

  it('counts 23 hours on 2026-03-08', async () => {
    const stored = await readRollup(database.pool, 'pendo_activity_hourly', ['day', 'hour']);
    const springDay = stored.filter((row) => row.day === '2026-03-08' && row.app_id === APPS[1]);
    expect(hourBuckets('2026-03-08')).toHaveLength(23);
    expect(springDay).toHaveLength(23);
    expect(springDay.map((row) => row.hour)).not.toContain(2);
  });

  it('places day rows at their first hour', async () => {
    const stored = await readRollup(database.pool, 'pendo_activity_hourly', ['day', 'hour']);
    const dayRows = rows.activity.filter((row) => row.period === 'day');
    expect(dayRows.length).toBeGreaterThan(0);
    for (const row of dayRows) {
      const hour = localTime(row.first_time ?? 0).hour;
      const match = stored.find(
        (stat) => stat.day === DAY_ROWS_DAY && stat.hour === hour && stat.app_id === row.app_id,
      );
      expect(match, `${row.visitor_id} at ${hour}`).toBeDefined();
    }
  });

  it('counts a visitor once across rows', async () => {
    const stored = await readRollup(database.pool, 'pendo_feature_daily', ['day']);
    const repeat = stored.filter((row) => row.feature_id === 'feat-repeat');
    expect(repeat).toEqual([
      {
        day: '2026-11-01',
        app_id: APPS[0],
        feature_id: 'feat-repeat',
        clicks: 12,
        visitors: 1,
        accounts: 1,
      },
    ]);
  });

  it('changes nothing on a second refresh', async () => {
    const before = await readAllRollups(database.pool, ROLLUP_TABLES);
    await refreshDays(database.pool, SPRING_DAYS[0] ?? '', FALL_DAYS.at(-1) ?? '');
    expect(await readAllRollups(database.pool, ROLLUP_TABLES)).toEqual(before);
  });

  it('refreshes one day and leaves the others', async () => {
    const before = await readAllRollups(database.pool, ROLLUP_TABLES);
    const extra = mergeRows(generateDay('2026-11-01', 101), generateDay('2026-11-02', 102));
    await insertRows(database.pool, extra);
    rows = mergeRows(rows, extra);

    // A window of one hour in the middle of the day recomputes the whole day.
    const noon = localMidnight('2026-11-01') + 13 * HOUR_MS;
    for (const stream of STREAMS) {
      await refreshRollups(database.pool, {
        stream,
        from: noon,
        to: noon + HOUR_MS,
        timeZone: TIME_ZONE,
        appIds: 'all',
      });
    }

    const after = await readAllRollups(database.pool, ROLLUP_TABLES);
    const otherDays = [...SPRING_DAYS, '2026-10-31', '2026-11-02'];
    for (const { table, expected } of ROLLUP_TABLES) {
      expect(onDays(after[table] ?? [], ['2026-11-01']), table).toEqual(
        onDays(expected(rows), ['2026-11-01']),
      );
      expect(onDays(after[table] ?? [], ['2026-11-01']), table).not.toEqual(
        onDays(before[table] ?? [], ['2026-11-01']),
      );
      expect(onDays(after[table] ?? [], otherDays), table).toEqual(
        onDays(before[table] ?? [], otherDays),
      );
    }

    await refreshDays(database.pool, '2026-11-02', '2026-11-02');
    for (const { table, keys, expected } of ROLLUP_TABLES) {
      expect(await readRollup(database.pool, table, keys), table).toEqual(expected(rows));
    }
  });

  it('refreshes only the requested apps', async () => {
    const before = await readAllRollups(database.pool, ROLLUP_TABLES);
    const extra = generateDay('2026-03-07', 201);
    await insertRows(database.pool, extra);
    rows = mergeRows(rows, extra);
    await refreshDays(database.pool, '2026-03-07', '2026-03-07', [APPS[1] ?? 0]);
    const after = await readAllRollups(database.pool, ROLLUP_TABLES);
    for (const { table, expected } of ROLLUP_TABLES) {
      const ofApp = (list: Json[], app: number | undefined): Json[] =>
        onDays(list, ['2026-03-07']).filter((row) => row.app_id === app);
      expect(ofApp(after[table] ?? [], APPS[1]), table).toEqual(ofApp(expected(rows), APPS[1]));
      expect(ofApp(after[table] ?? [], APPS[0]), table).toEqual(
        ofApp(before[table] ?? [], APPS[0]),
      );
    }
    await refreshDays(database.pool, '2026-03-07', '2026-03-07', [APPS[0] ?? 0]);
    for (const { table, keys, expected } of ROLLUP_TABLES) {
      expect(await readRollup(database.pool, table, keys), table).toEqual(expected(rows));
    }
  });

  it('empties days whose events are gone', async () => {
    const start = new Date(localMidnight('2026-10-31')).toISOString();
    const end = new Date(localMidnight('2026-11-01')).toISOString();
    await database.pool.query(
      'delete from pendo_feature_events where bucket_start >= $1 and bucket_start < $2',
      [start, end],
    );
    await refreshRollups(database.pool, {
      stream: 'feature_events',
      from: Date.parse(start),
      to: Date.parse(end),
      timeZone: TIME_ZONE,
      appIds: 'all',
    });
    const stored = await readRollup(database.pool, 'pendo_feature_daily', ['day']);
    expect(onDays(stored, ['2026-10-31'])).toEqual([]);
    expect(onDays(stored, ['2026-11-01']).length).toBeGreaterThan(0);
    rows.features = rows.features.filter((row) => localTime(row.bucket_start).day !== '2026-10-31');
  });

  it('rebuilds every rollup from scratch', async () => {
    await database.pool.query('delete from pendo_page_daily where day = $1', ['2026-03-08']);
    await database.pool.query(
      `insert into pendo_guide_daily values ('2026-03-08', 1, 'stale', 1, 1, 1, 1)`,
    );
    const inserted = await rebuildRollups(database.pool, { timeZone: TIME_ZONE });
    for (const { table, keys, expected } of ROLLUP_TABLES) {
      const sums = expected(rows);
      expect(await readRollup(database.pool, table, keys), table).toEqual(sums);
      expect(inserted[table], table).toBe(sums.length);
    }
  });

  it('keeps days before the stored events on rebuild', async () => {
    // Rollups of days older than every stored event, such as days retention dropped, stay.
    const old = { day: '2025-12-01', app_id: 1, guide_id: 'old', views: 5 };
    await database.pool.query(`insert into pendo_guide_daily values ($1, $2, $3, $4, 2, 1, 0)`, [
      old.day,
      old.app_id,
      old.guide_id,
      old.views,
    ]);
    await rebuildRollups(database.pool, { timeZone: TIME_ZONE });
    const stored = await readRollup(database.pool, 'pendo_guide_daily', ['day']);
    expect(onDays(stored, [old.day])).toEqual([
      { ...old, visitors: 2, completions: 1, dismissals: 0 },
    ]);
    await database.pool.query('delete from pendo_guide_daily where day = $1', [old.day]);
  });

  it('updates completions when steps change', async () => {
    const before = await readAllRollups(database.pool, ROLLUP_TABLES);
    const tour = GUIDE_STEPS['guide-tour'] ?? [];
    const storeSteps = async (id: string, steps: string[]): Promise<void> => {
      GUIDE_STEPS[id] = steps;
      await database.pool.query(
        `insert into pendo_guides (id, app_id, raw, first_seen_at, synced_at)
         values ($1, $2, $3, now(), now())
         on conflict (id) do update set raw = excluded.raw`,
        [id, APPS[0], JSON.stringify({ id, steps: steps.map((step) => ({ id: step })) })],
      );
    };
    try {
      await storeSteps('guide-tour', ['tour-1', 'tour-2']);
      await storeSteps('guide-unknown', ['unknown-1', 'unknown-2']);
      expect(await updateGuideCompletions(database.pool)).toBeGreaterThan(0);
      for (const { table, keys, expected } of ROLLUP_TABLES) {
        expect(await readRollup(database.pool, table, keys), table).toEqual(expected(rows));
      }
      const unknown = (await readRollup(database.pool, 'pendo_guide_daily', ['day'])).filter(
        (row) => row.guide_id === 'guide-unknown',
      );
      expect(unknown.some((row) => Number(row.completions) > 0)).toBe(true);
      expect(await updateGuideCompletions(database.pool)).toBe(0);
    } finally {
      await storeSteps('guide-tour', tour);
      delete GUIDE_STEPS['guide-unknown'];
      await database.pool.query(`delete from pendo_guides where id = 'guide-unknown'`);
    }
    await updateGuideCompletions(database.pool);
    expect(await readAllRollups(database.pool, ROLLUP_TABLES)).toEqual(before);
  });

  it('sums the weekday and hour view', async () => {
    const hourly = expectedActivityHourly(rows);
    const groups = rollUp(
      hourly,
      (row) => [row.app_id, row.iso_weekday, row.hour],
      () => ({ days: 0, events: 0, minutes: 0, visitors: 0 }),
      (sums, row) => {
        sums.days++;
        sums.events += Number(row.events);
        sums.minutes += Number(row.minutes);
        sums.visitors += Number(row.visitors);
      },
    );
    const result = await database.pool.query<{ row: Json }>(
      `select to_jsonb(activity) - 'visitors_avg' as row,
              visitors_avg::float8 as visitors_avg
       from pendo_activity_weekday_hour as activity`,
    );
    const stored = sortRows(
      result.rows.map((row) => row.row),
      ['app_id', 'iso_weekday', 'hour'],
    );
    const expected = sortRows(
      groups.map(([[app_id, iso_weekday, hour], sums]) => {
        return {
          app_id,
          iso_weekday,
          hour,
          days: sums.days,
          events: sums.events,
          minutes: sums.minutes,
          visitor_sum: sums.visitors,
        };
      }),
      ['app_id', 'iso_weekday', 'hour'],
    );
    expect(stored).toEqual(expected);
  });

  it('reads top features by clicks', async () => {
    const top = await readTopFeatures(database.pool, {
      firstDay: '2026-11-01',
      lastDay: '2026-11-02',
      limit: 2,
    });
    const daily = onDays(expectedFeatureDaily(rows), ['2026-11-01', '2026-11-02']);
    const clicks = new Map<string, number>();
    for (const row of daily) {
      const id = String(row.feature_id);
      clicks.set(id, (clicks.get(id) ?? 0) + Number(row.clicks));
    }
    const ranked = [...clicks].sort(
      (left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1),
    );
    expect(top.map((feature) => [feature.featureId, feature.clicks])).toEqual(ranked.slice(0, 2));
    const first = daily.filter((row) => row.feature_id === top[0]?.featureId);
    expect(top[0]?.activeDays).toBe(new Set(first.map((row) => row.day)).size);
    expect(top[0]?.maxDailyVisitors).toBe(Math.max(...first.map((row) => Number(row.visitors))));
    expect(top[0]?.name).toBeNull();
  });

  it('protects the tables and the view', async () => {
    for (const { table } of ROLLUP_TABLES) {
      const result = await database.pool.query<{ relrowsecurity: boolean }>(
        'select relrowsecurity from pg_class where oid = $1::regclass',
        [table],
      );
      expect(result.rows[0]?.relrowsecurity, table).toBe(true);
    }
    // The test server is PostgreSQL 15 or later, where the view checks the reader's rights.
    const view = await database.pool.query<{ reloptions: string[] | null }>(
      `select reloptions from pg_class where oid = 'pendo_activity_weekday_hour'::regclass`,
    );
    expect(view.rows[0]?.reloptions).toContain('security_invoker=true');
  });

  it('rejects an unknown time zone', async () => {
    await expect(
      refreshRollups(database.pool, {
        stream: 'page_events',
        from: localMidnight('2026-03-07'),
        to: localMidnight('2026-03-08'),
        timeZone: 'Mars/Olympus_Mons',
        appIds: 'all',
      }),
    ).rejects.toThrow(/Invalid time zone "Mars\/Olympus_Mons".*IANA name/);
  });

  it('rejects an empty range', async () => {
    await expect(
      refreshRollups(database.pool, {
        stream: 'page_events',
        from: 10,
        to: 10,
        timeZone: TIME_ZONE,
        appIds: 'all',
      }),
    ).rejects.toThrow(/Invalid rollup range/);
  });
});
