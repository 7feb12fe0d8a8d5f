import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import type { CliResult } from './helpers';
import { cliEnvironment, runCli } from './helpers';

const SIZES = { guides: 12, features: 10, pages: 8, track_types: 3, reports: 2, segments: 2 };
const HOUR_MS = 3_600_000;

/** Midnight of 2026-10-28 in America/New_York (EDT, UTC-4), the simulator's default zone. */
const SINCE_DATE = '2026-10-28';
const SINCE_MS = Date.UTC(2026, 9, 28, 4);

describe('sync and status with event streams', () => {
  let simulator: Simulator;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 'streams-cli', sizes: SIZES, eventsPerDay: 300 });
  });

  afterAll(async () => {
    await simulator.close();
  });

  /** Builds the environment of a CLI run from the test simulator into `database`. */
  function environment(
    database: TestDatabase,
    variables: Record<string, string> = {},
  ): NodeJS.ProcessEnv {
    return cliEnvironment({
      DATABASE_URL: database.url,
      PENDO_API_KEY: simulator.apiKey,
      PENDO_BASE_URL: simulator.url,
      PENDO_TIME_ZONE: simulator.timeZone,
      ...variables,
    });
  }

  describe('invalid event settings', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase();
    });

    afterAll(async () => {
      await database.drop();
    });

    it.each([
      ['SYNC_STREAMS', 'page_events,clicks', '"clicks"'],
      ['SYNC_EVENTS_SINCE', 'last week', '"last week"'],
      ['SYNC_EVENT_LAG', 'soon', '"soon"'],
      ['SYNC_EVENT_LOOKBACK', '3 days', '"3 days"'],
      ['PENDO_TIME_ZONE', 'Mars/Olympus_Mons', '"Mars/Olympus_Mons"'],
      ['SYNC_EVENT_RETENTION_DAYS', '0', '"0"'],
    ])('names %s in the error', async (name, value, quoted) => {
      const result = await runCli(['sync'], environment(database, { [name]: value }));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(name);
      expect(result.stderr).toContain(quoted);
    });

    it('names an unknown --streams entry', async () => {
      const result = await runCli(
        ['sync', '--streams', 'page_events,clicks'],
        environment(database),
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Unknown stream "clicks" in --streams');
    });

    it('names an invalid --since', async () => {
      const result = await runCli(
        ['sync', '--streams', 'events', '--since', 'yesterday'],
        environment(database),
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Invalid --since "yesterday"');
    });

    it('rejects --since on entities only', async () => {
      const result = await runCli(
        ['sync', '--entities', 'guides', '--since', '30d'],
        environment(database),
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--since');
      expect(result.stderr).toContain('syncs no stream');
    });
  });

  describe('sync --entities alone', () => {
    let database: TestDatabase;
    let result: CliResult;

    beforeAll(async () => {
      database = await createTestDatabase();
      result = await runCli(['sync', '--entities', 'guides'], environment(database));
    });

    afterAll(async () => {
      await database.drop();
    });

    it('syncs the entity', () => {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^guides\s+full\s+completed/m);
    });

    it('syncs no stream', async () => {
      expect(result.stdout).not.toMatch(/^stream\s+mode/m);
      const runs = await database.pool.query<{ entity: string }>(
        'select distinct entity from sync_status order by entity',
      );
      expect(runs.rows.map((row) => row.entity)).toEqual(['guides']);
      const windows = await database.pool.query('select 1 from sync_event_windows');
      expect(windows.rowCount).toBe(0);
    });
  });

  describe('status from stored windows', () => {
    let database: TestDatabase;
    let status: CliResult;
    const runId = randomUUID();
    const day = (date: number): Date => new Date(Date.UTC(2026, 9, date, 4));
    const pendoTime = new Date(Date.UTC(2026, 9, 3, 16));

    beforeAll(async () => {
      database = await createTestDatabase();
      const windows = [
        { start: day(1), end: day(2), rows: 40, final: true },
        { start: day(2), end: day(3), rows: 35, final: true },
        { start: day(3), end: day(4), rows: 12, final: false },
      ];
      for (const window of windows) {
        await database.pool.query(
          `insert into sync_event_windows
             (stream, app_scope, window_start, window_end, period, rows, final, read_at,
              pendo_time, run_id)
           values ('page_events', '*', $1, $2, 'day', $3, $4, now(), $5, $6)`,
          [window.start, window.end, window.rows, window.final, pendoTime, runId],
        );
      }
      // Windows of another app scope, as a sync with PENDO_APP_IDS=-323232 stores them.
      for (const date of [1, 2, 3, 4, 5]) {
        await database.pool.query(
          `insert into sync_event_windows
             (stream, app_scope, window_start, window_end, period, rows, final, read_at,
              pendo_time, run_id)
           values ('page_events', '-323232', $1, $2, 'day', 5, false, now(), $3, $4)`,
          [day(date + 20), day(date + 21), new Date(Date.UTC(2026, 9, 27, 16)), runId],
        );
      }
      await database.pool.query(
        `insert into sync_status (run_id, entity, mode, status, finished_at, fetched)
         values ($1, 'page_events', 'backfill', 'completed', now(), 87)`,
        [runId],
      );
      status = await runCli(['status'], environment(database));
    });

    afterAll(async () => {
      await database.drop();
    });

    /** Returns the lines of one stream's section, which starts with `<stream>:` on its own line. */
    function section(stream: string): string {
      const start = status.stdout.search(new RegExp(`^${stream}:`, 'm'));
      expect(start, stream).toBeGreaterThanOrEqual(0);
      const end = status.stdout.indexOf('\n\n', start);
      return status.stdout.slice(start, end === -1 ? undefined : end);
    }

    it('exits 0', () => {
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('Event streams');
    });

    it('counts windows and rows', () => {
      expect(section('page_events')).toMatch(/windows read\s+3 \(87 rows\)/);
    });

    it('shows first and last window', () => {
      expect(section('page_events')).toMatch(/first window start\s+2026-10-01 04:00:00Z/);
      expect(section('page_events')).toMatch(/last window start\s+2026-10-03 04:00:00Z/);
    });

    it('shows the newest final window', () => {
      expect(section('page_events')).toMatch(/newest final window end\s+2026-10-03 04:00:00Z/);
    });

    it("shows Pendo's time and lag", () => {
      expect(section('page_events')).toMatch(/Pendo's time at last read\s+2026-10-03 16:00:00Z/);
      // The default lag of 1h closes windows ending by 15:00; the newest ends at 04:00.
      expect(section('page_events')).toMatch(/lag\s+12h 00m/);
    });

    it('shows the last run', () => {
      expect(section('page_events')).toMatch(/last run\s+completed \(backfill/);
    });

    it('lists streams never read', () => {
      expect(section('events')).toContain('events: no window read yet (last run: none)');
      expect(section('poll_events')).toContain('no window read yet');
    });

    it('counts only the configured app scope', async () => {
      const scoped = await runCli(['status'], environment(database, { PENDO_APP_IDS: '-323232' }));
      expect(scoped.code, scoped.stderr).toBe(0);
      expect(scoped.stdout).toMatch(/windows read\s+5 \(25 rows\)/);
      expect(scoped.stdout).toMatch(/first window start\s+2026-10-21 04:00:00Z/);
      expect(scoped.stdout).toMatch(/newest final window end\s+-/);
    });

    it('measures lag with SYNC_EVENT_LAG', async () => {
      const later = await runCli(['status'], environment(database, { SYNC_EVENT_LAG: '13h' }));
      expect(later.code).toBe(0);
      // With 13h, only windows ending by 03:00 count as closed: the one ending 2026-10-02 04:00.
      expect(later.stdout).toMatch(/lag\s+1d 12h/);
    });
  });

  describe('sync --streams page_events --since', () => {
    let database: TestDatabase;
    let sync: CliResult;
    let status: CliResult;

    beforeAll(async () => {
      database = await createTestDatabase();
      const env = environment(database);
      sync = await runCli(['sync', '--streams', 'page_events', '--since', SINCE_DATE], env);
      status = await runCli(['status'], env);
    });

    afterAll(async () => {
      await database.drop();
    });

    it('completes the run', () => {
      expect(sync.code, sync.stderr).toBe(0);
      expect(sync.stdout).toMatch(/run [0-9a-f-]{36}: completed/);
    });

    it('prints the stream line', () => {
      expect(sync.stdout).toMatch(/^stream\s+mode\s+status\s+windows\s+fetched\s+inserted/m);
      expect(sync.stdout).toMatch(/^page_events\s+backfill\s+completed/m);
    });

    it('syncs no entity', async () => {
      expect(sync.stdout).not.toMatch(/^entity\s+mode/m);
      const runs = await database.pool.query<{ entity: string }>(
        'select distinct entity from sync_status order by entity',
      );
      expect(runs.rows.map((row) => row.entity)).toEqual(['page_events']);
    });

    it('stores page events from --since', async () => {
      const result = await database.pool.query<{ rows: string; first: Date | null }>(
        'select count(*) as rows, min(bucket_start) as first from pendo_page_events',
      );
      expect(Number(result.rows[0]?.rows)).toBeGreaterThan(0);
      expect(result.rows[0]?.first?.getTime()).toBe(SINCE_MS);
    });

    it('starts the windows at local midnight', async () => {
      const result = await database.pool.query<{ first: Date }>(
        `select min(window_start) as first from sync_event_windows where stream = 'page_events'`,
      );
      expect(result.rows[0]?.first.getTime()).toBe(SINCE_MS);
    });

    it('stores every row Pendo returns', async () => {
      const windows = await database.pool.query<{ end: Date }>(
        `select max(window_end) as end from sync_event_windows where stream = 'page_events'`,
      );
      const end = windows.rows[0]?.end.getTime() ?? SINCE_MS;
      const expected = [
        ...simulator.eventRows({ source: 'pageEvents', period: 'day', from: SINCE_MS, to: end }),
      ].length;
      const stored = await database.pool.query<{ rows: string }>(
        'select count(*) as rows from pendo_page_events',
      );
      expect(Number(stored.rows[0]?.rows)).toBe(expected);
    });

    it('reads no other stream', async () => {
      const result = await database.pool.query<{ stream: string }>(
        'select distinct stream from sync_event_windows',
      );
      expect(result.rows.map((row) => row.stream)).toEqual(['page_events']);
    });

    it('shows the stream in status', () => {
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/first window start\s+2026-10-28 04:00:00Z/);
      expect(status.stdout).toMatch(/last run\s+completed \(backfill/);
    });
  });

  describe('sync without flags', () => {
    let database: TestDatabase;
    let sync: CliResult;

    beforeAll(async () => {
      database = await createTestDatabase();
      const env = environment(database, { SYNC_STREAMS: 'events', SYNC_EVENTS_SINCE: '2d' });
      sync = await runCli(['sync'], env);
    });

    afterAll(async () => {
      await database.drop();
    });

    it('syncs entities and SYNC_STREAMS', async () => {
      expect(sync.code, sync.stderr).toBe(0);
      expect(sync.stdout).toMatch(/^guides\s+full\s+completed/m);
      expect(sync.stdout).toMatch(/^events\s+backfill\s+completed/m);
      const result = await database.pool.query<{ stream: string }>(
        'select distinct stream from sync_event_windows',
      );
      expect(result.rows.map((row) => row.stream)).toEqual(['events']);
    });

    it("counts SYNC_EVENTS_SINCE back from Pendo's clock", async () => {
      // The simulator's clock, not this machine's, decides where 2d before now falls.
      const result = await database.pool.query<{ first: Date }>(
        `select min(window_start) as first from sync_event_windows where stream = 'events'`,
      );
      const first = result.rows[0]?.first.getTime() ?? 0;
      const twoDaysBack = simulator.clock.now() - 48 * HOUR_MS;
      expect(first).toBeLessThanOrEqual(twoDaysBack);
      expect(first).toBeGreaterThan(twoDaysBack - 25 * HOUR_MS);
    });
  });

  describe('built-in simulator time zone', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase();
    });

    afterAll(async () => {
      await database.drop();
    });

    /** Syncs page events of the built-in simulator from 2026-10-30 and returns the first window. */
    async function firstWindow(variables: Record<string, string>): Promise<{
      result: CliResult;
      start: number | undefined;
    }> {
      await database.pool.query('delete from sync_event_windows');
      const env = cliEnvironment({
        DATABASE_URL: database.url,
        PENDO_USE_SIMULATOR: 'true',
        ...variables,
      });
      const result = await runCli(
        ['sync', '--streams', 'page_events', '--since', '2026-10-30'],
        env,
      );
      const windows = await database.pool.query<{ first: Date | null }>(
        `select min(window_start) as first from sync_event_windows where stream = 'page_events'`,
      );
      return { result, start: windows.rows[0]?.first?.getTime() };
    }

    it("uses the simulator's zone by default", async () => {
      const { result, start } = await firstWindow({});
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('time zone America/New_York');
      expect(start).toBe(Date.UTC(2026, 9, 30, 4));
    });

    it('gives the simulator PENDO_TIME_ZONE', async () => {
      const { result, start } = await firstWindow({ PENDO_TIME_ZONE: 'Asia/Tokyo' });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('time zone Asia/Tokyo');
      expect(start).toBe(Date.UTC(2026, 9, 29, 15));
    });
  });
});
