import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_STREAMS, EVENT_STREAM_SPECS } from '../../src/events/streams';
import type { EventStream } from '../../src/events/streams';
import { silentLogger } from '../../src/log';
import { createPendoClient } from '../../src/pendo/client';
import type { PendoClient } from '../../src/pendo/client';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator, SimulatorOptions } from '../../src/simulator/index';
import { nextLocalDay, startOfLocalDay } from '../../src/simulator/activity/time-zone';
import {
  hasEventDrift,
  hasTimeZoneMismatch,
  verifyEventStream,
} from '../../src/verify/verify-events';
import type { EventStreamDrift } from '../../src/verify/verify-events';
import { cliEnvironment, runCli } from '../cli/helpers';
import { runTestSync } from '../sync/helpers';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';

const SIMULATOR_OPTIONS: SimulatorOptions = { seed: 'verify-events', eventsPerDay: 600, apps: 2 };
const FINAL_DAYS = 3;

/** A simulator and a database filled with its event rows. */
interface Fixture {
  simulator: Simulator;
  database: TestDatabase;
  /** Local midnights of the final days, oldest first, then of the open day (today). */
  dayStarts: number[];
}

let fixture: Fixture;
let simulator: Simulator;
let pool: pg.Pool;
let pendo: PendoClient;
let dayStarts: number[];
let timeZone: string;

function clientFor(target: Simulator): PendoClient {
  // One attempt, so a 408 reaches the code under test at once.
  return createPendoClient({
    apiKey: target.apiKey,
    baseUrl: target.url,
    logger: silentLogger,
    maxAttempts: 1,
  });
}

/** Typed columns of each stream beyond the ones every table has, read from the row's JSON. */
const EXTRA_COLUMNS: Record<EventStream, Record<string, string>> = {
  page_events: { page_id: `r->>'pageId'` },
  feature_events: { feature_id: `r->>'featureId'` },
  track_events: { track_type_id: `r->>'trackTypeId'` },
  events: {},
  guide_events: { guide_id: `r->>'guideId'`, type: `r->>'type'` },
  poll_events: { guide_id: `r->>'guideId'`, poll_id: `r->>'pollId'`, type: `r->>'type'` },
};

/** Stores one window of Pendo's rows with plain INSERTs, as the sync writes them. */
async function storeWindow(
  target: Fixture,
  stream: EventStream,
  window: { from: number; to: number; final: boolean },
): Promise<void> {
  const { from, to, final } = window;
  const spec = EVENT_STREAM_SPECS[stream];
  const query = { source: spec.source, period: spec.period, from, to };
  const rows = [...target.simulator.eventRows(query)];
  const columns: Record<string, string> = {
    app_id: `(r->>'appId')::bigint`,
    row_hash: 'md5(r::text)::uuid',
    visitor_id: `r->>'visitorId'`,
    account_id: `nullif(r->>'accountId', '')`,
    raw: 'r',
    synced_at: 'now()',
    ...EXTRA_COLUMNS[stream],
  };
  if (spec.kind === 'aggregate') {
    columns.period = `'${spec.period}'`;
    columns.bucket_start = `to_timestamp((r->>'${spec.period}')::bigint / 1000.0)`;
    columns.num_events = `(r->>'numEvents')::bigint`;
    columns.num_minutes = `(r->>'numMinutes')::bigint`;
  } else {
    columns.browser_time = `to_timestamp((r->>'browserTime')::bigint / 1000.0)`;
  }
  await target.database.pool.query(
    `insert into ${spec.table} (${Object.keys(columns).join(', ')})
     select ${Object.values(columns).join(', ')} from jsonb_array_elements($1::jsonb) r
     on conflict do nothing`,
    [JSON.stringify(rows)],
  );
  await target.database.pool.query(
    `insert into sync_event_windows
       (stream, app_scope, window_start, window_end, period, rows, final, read_at, pendo_time, run_id)
     values ($1, '*', $2, $3, $4, $5, $6, now(), $7, gen_random_uuid())`,
    [
      stream,
      new Date(from),
      new Date(to),
      spec.period,
      rows.length,
      final,
      new Date(target.simulator.clock.now()),
    ],
  );
}

/**
 * Starts a simulator and a database, and stores every stream's final days and the open day
 * (today, up to Pendo's current time).
 */
async function openFixture(options: SimulatorOptions): Promise<Fixture> {
  const target: Fixture = {
    simulator: await startSimulator(options),
    database: await createTestDatabase(),
    dayStarts: [],
  };
  const zone = target.simulator.timeZone;
  const today = startOfLocalDay(zone, target.simulator.clock.now());
  target.dayStarts.push(today);
  while (target.dayStarts.length <= FINAL_DAYS) {
    const first = target.dayStarts[0] ?? today;
    target.dayStarts.unshift(startOfLocalDay(zone, first - 3_600_000));
  }
  for (const spec of Object.values(EVENT_STREAM_SPECS)) {
    await target.database.pool.query(
      `create table if not exists ${spec.table}_default partition of ${spec.table} default`,
    );
  }
  for (const stream of EVENT_STREAMS) {
    for (const [index, from] of target.dayStarts.entries()) {
      const to = nextLocalDay(zone, from);
      await storeWindow(target, stream, { from, to, final: index < FINAL_DAYS });
    }
  }
  return target;
}

async function closeFixture(target: Fixture): Promise<void> {
  await target.simulator.close();
  await target.database.drop();
}

async function verify(stream: EventStream, client = pendo): Promise<EventStreamDrift> {
  return verifyEventStream(pool, client, stream, { appIds: 'all', timeZone });
}

function localDate(start: number): string {
  return new Date(start).toLocaleDateString('en-CA', { timeZone });
}

beforeAll(async () => {
  fixture = await openFixture(SIMULATOR_OPTIONS);
  simulator = fixture.simulator;
  pool = fixture.database.pool;
  pendo = clientFor(simulator);
  dayStarts = fixture.dayStarts;
  timeZone = simulator.timeZone;
});

afterAll(async () => {
  await closeFixture(fixture);
});

describe('verifyEventStream', () => {
  it('finds no drift in a faithful copy', async () => {
    for (const stream of EVENT_STREAMS) {
      const drift = await verify(stream);
      const spec = EVENT_STREAM_SPECS[stream];
      expect(hasEventDrift(drift), stream).toBe(false);
      expect(drift.drifted, stream).toEqual([]);
      expect(drift.openDifferences, stream).toEqual([]);
      expect(drift.finalDays, stream).toBe(FINAL_DAYS);
      expect(drift.openDays, stream).toBe(1);
      expect(drift.streamedDays, stream).toBe(0);

      const first = dayStarts[0] ?? 0;
      const end = dayStarts[FINAL_DAYS] ?? 0;
      const truth = simulator.eventTotals({
        source: spec.source,
        period: spec.period,
        from: first,
        to: end,
      });
      const rows = truth.reduce((sum, bucket) => sum + bucket.rows, 0);
      expect(rows, stream).toBeGreaterThan(0);
      expect(drift.pendo.rows, stream).toBe(rows);
      expect(drift.database.rows, stream).toBe(rows);
      if (spec.kind === 'aggregate') {
        const numEvents = truth.reduce((sum, bucket) => sum + bucket.numEvents, 0);
        expect(drift.pendo.numEvents, stream).toBe(numEvents);
      } else {
        expect(drift.pendo.numEvents, stream).toBeNull();
      }
      expect(drift.pendo.visitors, stream).toBeGreaterThan(0);
    }
  });

  it('groups day rows of several days in one request', async () => {
    const drift = await verify('page_events');
    // One request for the run of day-row days, one for the open day of day rows: they are
    // consecutive, so one request covers all four.
    expect(drift.requests).toBe(1);
    const hourly = await verify('events');
    expect(hourly.requests).toBe(FINAL_DAYS + 1);
  });

  it('reports deleted rows of a final day', async () => {
    const day = dayStarts[1] ?? 0;
    const deleted = await pool.query(
      `delete from pendo_page_events
       where bucket_start = $1 and app_id = $2 and ctid in (
         select ctid from pendo_page_events where bucket_start = $1 and app_id = $2 limit 3)`,
      [new Date(day), simulator.apps[0]],
    );
    expect(deleted.rowCount).toBe(3);

    const drift = await verify('page_events');
    expect(hasEventDrift(drift)).toBe(true);
    expect(drift.drifted).toHaveLength(1);
    const [found] = drift.drifted;
    expect(found?.day).toBe(localDate(day));
    expect(found?.appId).toBe(simulator.apps[0]);
    expect(found?.database.rows).toBe((found?.pendo.rows ?? 0) - 3);
    expect(hasEventDrift(await verify('feature_events'))).toBe(false);
  });

  it('exits 4 from the CLI on drift', async () => {
    const environment = cliEnvironment({
      DATABASE_URL: fixture.database.url,
      PENDO_BASE_URL: simulator.url,
      PENDO_API_KEY: simulator.apiKey,
      PENDO_TIME_ZONE: timeZone,
      PENDO_MAX_ATTEMPTS: '1',
    });
    const clean = await runCli(['verify', '--streams', 'poll_events'], environment);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('No drift');

    // The test above deleted rows of a final day of page_events.
    const drifted = await runCli(['verify', '--streams', 'page_events'], environment);
    expect(drifted.code).toBe(4);
    expect(drifted.stdout).toContain('DRIFT');
    expect(drifted.stdout).toContain(`page_events: ${localDate(dayStarts[1] ?? 0)} app`);
  });

  it('reports a changed numEvents', async () => {
    const day = dayStarts[0] ?? 0;
    const app = simulator.apps[1];
    await pool.query(
      `update pendo_events set num_events = num_events + 5
       where ctid = (select ctid from pendo_events
                     where bucket_start >= $1 and bucket_start < $2 and app_id = $3 limit 1)`,
      [new Date(day), new Date(nextLocalDay(timeZone, day)), app],
    );

    const drift = await verify('events');
    expect(drift.drifted).toHaveLength(1);
    const [found] = drift.drifted;
    expect(found?.day).toBe(localDate(day));
    expect(found?.appId).toBe(app);
    expect(found?.database.rows).toBe(found?.pendo.rows);
    expect(found?.database.numEvents).toBe((found?.pendo.numEvents ?? 0) + 5);
  });

  it('reports a day missing from the database', async () => {
    const day = dayStarts[2] ?? 0;
    await pool.query(
      'delete from pendo_guide_events where browser_time >= $1 and browser_time < $2',
      [new Date(day), new Date(nextLocalDay(timeZone, day))],
    );

    const drift = await verify('guide_events');
    expect(drift.drifted.map((entry) => entry.day)).toEqual(
      simulator.apps.map(() => localDate(day)),
    );
    for (const entry of drift.drifted) {
      expect(entry.database).toEqual({ rows: 0, numEvents: null, visitors: 0 });
      expect(entry.pendo.rows).toBeGreaterThan(0);
    }
  });

  it('keeps differences of open days apart', async () => {
    const today = dayStarts[FINAL_DAYS] ?? 0;
    await pool.query('delete from pendo_track_events where bucket_start = $1', [new Date(today)]);

    const drift = await verify('track_events');
    expect(hasEventDrift(drift)).toBe(false);
    expect(drift.openDifferences.map((entry) => entry.day)).toContain(localDate(today));
    for (const entry of drift.openDifferences) expect(entry.database.rows).toBe(0);
  });
});

describe('verifyEventStream after a time zone change', () => {
  const otherZone = 'Asia/Tokyo';

  async function setWindowZone(stream: EventStream, zone: string | null): Promise<void> {
    await pool.query('update sync_event_windows set time_zone = $2 where stream = $1', [
      stream,
      zone,
    ]);
  }

  it('reports windows read in another zone', async () => {
    expect(timeZone).not.toBe(otherZone);
    await setWindowZone('poll_events', otherZone);
    try {
      const drift = await verify('poll_events');
      expect(drift.otherTimeZones).toEqual([otherZone]);
      expect(drift.timeZone).toBe(timeZone);
      expect(hasTimeZoneMismatch(drift)).toBe(true);
      expect(hasEventDrift(drift)).toBe(true);
      expect(drift.requests).toBe(0);
      expect(drift.finalDays).toBe(0);
      expect(drift.drifted).toEqual([]);
    } finally {
      await setWindowZone('poll_events', null);
    }
  });

  it('treats unknown zones as the configured one when aligned', async () => {
    const drift = await verify('poll_events');
    expect(drift.otherTimeZones).toEqual([]);
    expect(hasTimeZoneMismatch(drift)).toBe(false);
    const stored = await pool.query<{ marked: number }>(
      `select count(*)::int as marked from sync_event_windows
       where stream = 'poll_events' and time_zone is not null`,
    );
    // Verification only reads, so the windows stay without a zone.
    expect(stored.rows[0]?.marked).toBe(0);
  });

  it('reports unknown zones not aligned to the configured one', async () => {
    const drift = await verifyEventStream(pool, pendo, 'poll_events', {
      appIds: 'all',
      timeZone: otherZone,
    });
    expect(drift.otherTimeZones).toEqual([null]);
    expect(hasEventDrift(drift)).toBe(true);
  });

  it('exits 4 from the CLI with one line per stream', async () => {
    const environment = cliEnvironment({
      DATABASE_URL: fixture.database.url,
      PENDO_BASE_URL: simulator.url,
      PENDO_API_KEY: simulator.apiKey,
      PENDO_TIME_ZONE: timeZone,
      PENDO_MAX_ATTEMPTS: '1',
    });
    await setWindowZone('poll_events', otherZone);
    try {
      const result = await runCli(['verify', '--streams', 'poll_events'], environment);
      expect(result.code).toBe(4);
      expect(result.stdout).toContain('TIME ZONE');
      expect(result.stdout).toContain(
        `poll_events: its windows were read in ${otherZone}, but PENDO_TIME_ZONE is ${timeZone}; ` +
          'run `pendo-sync sync` to read them again in the new zone, or set PENDO_TIME_ZONE back',
      );
      expect(result.stdout).not.toMatch(/poll_events: \d{4}-\d{2}-\d{2} app/);
    } finally {
      await setWindowZone('poll_events', null);
    }
  });
});

describe('verifyEventStream fallbacks', () => {
  it('splits ranges that span too many days', async () => {
    const limited = await startSimulator({
      ...SIMULATOR_OPTIONS,
      aggregationLimits: { maxDays: 1.5 },
    });
    try {
      const drift = await verify('feature_events', clientFor(limited));
      expect(hasEventDrift(drift)).toBe(false);
      expect(drift.finalDays).toBe(FINAL_DAYS);
      expect(drift.requests).toBeGreaterThan(FINAL_DAYS + 1);
      expect(drift.streamedDays).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('streams the rows when Pendo rejects the grouping', async () => {
    // The grouped request over all four days is rejected first. Each day is then tried
    // grouped on its own, and the first of those is rejected too, so that day is streamed.
    simulator.injectFault({ path: 'aggregation', status: 422, times: 2 });
    try {
      const drift = await verify('feature_events');
      expect(hasEventDrift(drift)).toBe(false);
      expect(drift.streamedDays).toBe(1);
      expect(drift.pendo.rows).toBe(drift.database.rows);
      expect(drift.pendo.numEvents).toBe(drift.database.numEvents);
    } finally {
      simulator.clearFaults();
    }
  });

  it('streams hour by hour a day too large to group', async () => {
    const limited = await startSimulator({
      ...SIMULATOR_OPTIONS,
      aggregationLimits: { maxRows: 12 },
    });
    try {
      const drift = await verify('poll_events', clientFor(limited));
      expect(hasEventDrift(drift)).toBe(false);
      expect(drift.streamedDays).toBeGreaterThan(0);
      expect(drift.pendo.rows).toBe(drift.database.rows);

      await expect(verify('page_events', clientFor(limited))).rejects.toThrow(/stored as day rows/);
    } finally {
      await limited.close();
    }
  });
});

describe('verifyEventStream in a half-hour time zone', () => {
  it('assigns hour buckets to the day they start in', async () => {
    const target = await openFixture({ ...SIMULATOR_OPTIONS, timeZone: 'Asia/Kolkata' });
    try {
      // Local midnight is at half past a UTC hour here, so hour buckets straddle two days.
      expect((target.dayStarts[0] ?? 0) % 3_600_000).toBe(1_800_000);
      for (const stream of ['events', 'guide_events'] as const) {
        const drift = await verifyEventStream(
          target.database.pool,
          clientFor(target.simulator),
          stream,
          { appIds: 'all', timeZone: target.simulator.timeZone },
        );
        expect(drift.drifted, stream).toEqual([]);
        expect(drift.finalDays, stream).toBe(FINAL_DAYS);
        expect(drift.pendo.rows, stream).toBeGreaterThan(0);
        expect(drift.database.rows, stream).toBe(drift.pendo.rows);
      }
    } finally {
      await closeFixture(target);
    }
  });
});

describe('verifyEventStream after a sync', () => {
  it('finds no drift until rows change', async () => {
    const target = await startSimulator(SIMULATOR_OPTIONS);
    const database = await createTestDatabase();
    try {
      const zone = target.timeZone;
      const since = startOfLocalDay(zone, target.clock.now() - 5 * 86_400_000);
      const run = await runTestSync(
        { simulator: target, pool: database.pool },
        {
          entities: [],
          events: {
            streams: [...EVENT_STREAMS],
            since,
            lagMs: 0,
            lookbackMs: 86_400_000,
            timeZone: zone,
          },
        },
      );
      expect(run.summary.status).toBe('completed');
      const client = clientFor(target);
      const options = { appIds: 'all' as const, timeZone: zone };
      for (const stream of EVENT_STREAMS) {
        const drift = await verifyEventStream(database.pool, client, stream, options);
        expect(hasEventDrift(drift), stream).toBe(false);
        expect(drift.finalDays, stream).toBeGreaterThanOrEqual(3);
        expect(drift.database.rows, stream).toBeGreaterThan(0);
        expect(drift.database.rows, stream).toBe(drift.pendo.rows);
      }

      await database.pool.query(
        `update pendo_feature_events set num_events = num_events + 1
         where ctid = (select ctid from pendo_feature_events
                       where bucket_start = $1 limit 1)`,
        [new Date(since)],
      );
      const drift = await verifyEventStream(database.pool, client, 'feature_events', options);
      expect(drift.drifted.map((entry) => entry.day)).toEqual([localDate(since)]);
    } finally {
      await target.close();
      await database.drop();
    }
  });
});
