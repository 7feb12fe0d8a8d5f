import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchedule } from '../../src/cli/commands/schedule';
import { loadSettings } from '../../src/config/settings';
import { acquireSyncLock } from '../../src/db/lock';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import type { SyncLock } from '../../src/db/lock';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import type { CliProcess, CliResult } from './helpers';
import { cliEnvironment, runCli, spawnCli, withPassword } from './helpers';

const EVERY_MS = 2_000;

/** One JSON log line of the CLI (CI=1 selects JSON logs on standard error). */
interface LogLine {
  msg: string;
  time: string;
  run?: number;
  slot?: string;
}

function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Polls `check` every 100 ms until it returns true; throws after `timeoutMs`. */
async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Run ids of the run log whose every row has ended, in start order. */
async function finishedRunIds(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ run_id: string }>(
    `select run_id from sync_status group by run_id
     having bool_and(status <> 'running') order by min(started_at)`,
  );
  return result.rows.map((row) => row.run_id);
}

/** Returns a check for {@link waitFor} that is true once `count` runs have finished. */
function finishedRuns(pool: pg.Pool, count: number): () => Promise<boolean> {
  return async () => (await finishedRunIds(pool)).length >= count;
}

/** Returns true when `sql` finds at least one row. */
async function hasRows(pool: pg.Pool, sql: string): Promise<boolean> {
  const rows = await pool.query(sql);
  return (rows.rowCount ?? 0) > 0;
}

/** Counts the JSON log lines the CLI has written so far whose message starts with `prefix`. */
function countLogLines(cli: CliProcess, prefix: string): number {
  return logLines(cli.output().stderr).filter((line) => line.msg.startsWith(prefix)).length;
}

/** Waits until `check` returns true, then stops the schedule with SIGTERM and returns its result. */
async function stopWhen(
  cli: CliProcess,
  what: string,
  check: () => boolean | Promise<boolean>,
): Promise<CliResult> {
  await waitFor(what, check);
  cli.child.kill('SIGTERM');
  return cli.exited;
}

/** Starts `pendo-sync sync --every <every> [args]`, killed with SIGKILL after 120 s. */
function startSchedule(every: string, env: NodeJS.ProcessEnv, args: string[] = []): CliProcess {
  return spawnCli(['sync', '--every', every, ...args], env, 120_000);
}

/** Returns the environment that syncs `simulator` into the test database, entities only. */
function simulatorEnvironment(
  database: TestDatabase,
  simulator: Simulator,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return cliEnvironment({
    DATABASE_URL: database.url,
    PENDO_API_KEY: simulator.apiKey,
    PENDO_BASE_URL: simulator.url,
    SYNC_STREAMS: 'none',
    ...extra,
  });
}

/** Returns the environment that syncs the built-in simulator into the test database, entities only. */
function builtInEnvironment(database: TestDatabase): NodeJS.ProcessEnv {
  return cliEnvironment({
    DATABASE_URL: database.url,
    PENDO_USE_SIMULATOR: 'true',
    SYNC_STREAMS: 'none',
  });
}

describe('sync --every', () => {
  let database: TestDatabase;
  let cli: CliProcess;
  let result: CliResult;
  let runIds: string[];
  let guideRuns: { mode: string; inserted: number }[];

  beforeAll(async () => {
    database = await createTestDatabase();
    cli = startSchedule(`${EVERY_MS}ms`, builtInEnvironment(database));
    const threeRuns = finishedRuns(database.pool, 3);
    // SIGTERM only once the schedule waits for its fourth slot, so it arrives between runs.
    const waiting = (): boolean => (cli.output().stdout.match(/^next run at /gm) ?? []).length >= 3;
    result = await stopWhen(
      cli,
      '3 finished runs and the wait after them',
      async () => (await threeRuns()) && waiting(),
    );
    runIds = await finishedRunIds(database.pool);
    const guides = await database.pool.query<{ mode: string; inserted: string }>(
      `select mode, inserted from sync_status where entity = 'guides' order by started_at`,
    );
    guideRuns = guides.rows.map((row) => ({ mode: row.mode, inserted: Number(row.inserted) }));
  }, 150_000);

  afterAll(async () => {
    cli.child.kill('SIGKILL');
    await database.drop();
  });

  it('exits 0 on SIGTERM', () => {
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
  });

  it('logs each run under its own id', () => {
    expect(runIds.length).toBeGreaterThanOrEqual(3);
    expect(new Set(runIds).size).toBe(runIds.length);
    const printed = [...result.stdout.matchAll(/^run ([0-9a-f-]{36}): completed$/gm)];
    expect(printed.map((match) => match[1]).slice(0, 3)).toEqual(runIds.slice(0, 3));
  });

  it('waits the interval between starts', () => {
    const started = logLines(result.stderr).filter((line) => line.msg === 'scheduled run started');
    expect(started.length).toBeGreaterThanOrEqual(3);
    const slots = started.map((line) => Date.parse(String(line.slot)));
    for (let index = 1; index < started.length; index++) {
      // Slots are planned start to start; a run never starts before its slot.
      expect(slots[index]! - slots[index - 1]!).toBeGreaterThanOrEqual(EVERY_MS);
      expect(Date.parse(started[index]!.time)).toBeGreaterThanOrEqual(slots[index]!);
    }
    expect(result.stdout).toMatch(/^next run at \d{4}-\d\d-\d\dT/m);
  });

  it('advances the simulator each run', () => {
    const changes = result.stdout.match(/the simulator changed since the last run/g) ?? [];
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(guideRuns[0]?.mode).toBe('full');
    expect(guideRuns[1]?.mode).toBe('incremental');
    expect(guideRuns[1]?.inserted).toBeGreaterThan(0);
    expect(guideRuns[2]?.inserted).toBeGreaterThan(0);
  });

  it('stops between runs quietly', () => {
    const messages = logLines(result.stderr).map((line) => line.msg);
    expect(messages).toContain('schedule stopped between runs');
    expect(messages).not.toContain('scheduled run failed, so the schedule waits for the next slot');
  });
});

describe('sync --every shorter than a run', () => {
  let database: TestDatabase;
  let cli: CliProcess;
  let result: CliResult;
  let messages: string[];
  let runCount: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Every run takes longer than 1 ms, so each one overruns the interval.
    cli = startSchedule('1ms', builtInEnvironment(database));
    result = await stopWhen(cli, '3 finished runs', finishedRuns(database.pool, 3));
    messages = logLines(result.stderr).map((line) => line.msg);
    const runs = await database.pool.query('select distinct run_id from sync_status');
    runCount = runs.rowCount ?? 0;
  }, 150_000);

  afterAll(async () => {
    cli.child.kill('SIGKILL');
    await database.drop();
  });

  it('exits 0 on SIGTERM', () => {
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
  });

  it('logs the skipped slots', () => {
    const skipped = messages.filter(
      (message) => message === 'skipped a scheduled run because the previous run was still going',
    );
    expect(skipped.length).toBeGreaterThan(0);
    expect(messages).toContain(
      'the previous run took longer than the interval, so the next run starts now',
    );
  });

  it('starts each run after the last ends', () => {
    const events = messages.filter(
      (message) => message === 'scheduled run started' || message === 'sync finished',
    );
    const expected = events.map((_, index) =>
      index % 2 === 0 ? 'scheduled run started' : 'sync finished',
    );
    expect(events).toEqual(expected);
  });

  it('starts one run per log entry', () => {
    const starts = messages.filter((message) => message === 'scheduled run started');
    expect(starts.length).toBe(runCount);
  });
});

describe('sync --every with the lock held', () => {
  let database: TestDatabase;
  let lock: SyncLock;
  let cli: CliProcess;
  let rowsWhileLocked: number;
  let exitCodeWhileLocked: number | null;
  let result: CliResult;

  beforeAll(async () => {
    database = await createTestDatabase();
    lock = await acquireSyncLock(database.pool);
    cli = startSchedule('1s', builtInEnvironment(database));
    await waitFor(
      '2 runs that found the lock held',
      () => countLogLines(cli, 'another process holds the sync lock') >= 2,
    );
    exitCodeWhileLocked = cli.child.exitCode;
    const rows = await database.pool.query('select 1 from sync_status');
    rowsWhileLocked = rows.rowCount ?? 0;
    await lock.release();
    result = await stopWhen(cli, 'a finished run', finishedRuns(database.pool, 1));
  }, 150_000);

  afterAll(async () => {
    cli.child.kill('SIGKILL');
    await lock.release();
    await database.drop();
  });

  it('keeps running while locked', () => {
    expect(exitCodeWhileLocked).toBeNull();
    expect(rowsWhileLocked).toBe(0);
  });

  it('syncs once the lock is free', () => {
    expect(result.stdout).toMatch(/^run [0-9a-f-]{36}: completed$/m);
  });

  it('exits 0 on SIGTERM', () => {
    expect(result.code).toBe(0);
  });
});

describe('sync --every after a failed run', () => {
  let simulator: Simulator;
  let database: TestDatabase;
  let cli: CliProcess;
  let exitCodeAfterFailures: number | null;
  let result: CliResult;
  let statuses: string[];

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 'schedule-test' });
    // HTTP 400 is not retried, so every guides pass fails until the faults are cleared.
    simulator.injectFault({ path: '*', status: 400, times: 10_000 });
    database = await createTestDatabase();
    const env = simulatorEnvironment(database, simulator);
    cli = startSchedule('500ms', env, ['--entities', 'guides']);
    await waitFor('2 failed runs', () => countLogLines(cli, 'scheduled run failed') >= 2);
    exitCodeAfterFailures = cli.child.exitCode;
    simulator.clearFaults();
    result = await stopWhen(cli, 'a completed run', () =>
      hasRows(database.pool, "select 1 from sync_status where status = 'completed'"),
    );
    const rows = await database.pool.query<{ status: string }>(
      'select status from sync_status order by started_at',
    );
    statuses = rows.rows.map((row) => row.status);
  }, 150_000);

  afterAll(async () => {
    cli.child.kill('SIGKILL');
    await simulator.close();
    await database.drop();
  });

  it('keeps running after failures', () => {
    expect(exitCodeAfterFailures).toBeNull();
    expect(statuses.slice(0, 2)).toEqual(['failed', 'failed']);
  });

  it('recovers on a later run', () => {
    expect(statuses).toContain('completed');
  });

  it('exits 0 on SIGTERM', () => {
    expect(result.code).toBe(0);
  });
});

describe('sync --every stopped mid-run', () => {
  let simulator: Simulator;
  let database: TestDatabase;
  let cli: CliProcess;
  let result: CliResult;
  let runs: { status: string; error: string | null }[];

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 'schedule-stop-test' });
    // Slow responses keep the first run busy while the test sends SIGTERM.
    simulator.injectFault({ path: 'aggregation', delayMs: 1_500, times: 10_000 });
    database = await createTestDatabase();
    const env = simulatorEnvironment(database, simulator, { SYNC_PAGE_SIZE: '20' });
    cli = startSchedule('1h', env, ['--entities', 'guides']);
    result = await stopWhen(cli, 'the first run to start', () =>
      hasRows(database.pool, "select 1 from sync_status where status = 'running'"),
    );
    const rows = await database.pool.query<{ status: string; error: string | null }>(
      'select status, error from sync_status order by started_at',
    );
    runs = rows.rows;
  }, 150_000);

  afterAll(async () => {
    cli.child.kill('SIGKILL');
    await simulator.close();
    await database.drop();
  });

  it('stops the run at a batch boundary', () => {
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('partial');
    expect(runs[0]?.error).toContain('SIGTERM');
  });

  it('exits 0 without a second run', () => {
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('next run at');
  });
});

describe('sync --every configuration', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });

  afterAll(async () => {
    await database.drop();
  });

  it('rejects a jitter as long as the interval', async () => {
    const result = await runCli(
      ['sync', '--every', '1s', '--jitter', '1s'],
      builtInEnvironment(database),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid --jitter 1.0s');
  });

  it('rejects --jitter without --every', async () => {
    const result = await runCli(['sync', '--jitter', '1s'], builtInEnvironment(database));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--jitter applies only to scheduled runs');
  });

  it('rejects an invalid SYNC_EVERY', async () => {
    const env = { ...builtInEnvironment(database), SYNC_EVERY: 'hourly' };
    const result = await runCli(['sync'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SYNC_EVERY');
  });

  it('ends at once on a bad password', async () => {
    const env = {
      ...builtInEnvironment(database),
      DATABASE_URL: withPassword(database.url, 'wrong-password'),
    };
    const result = await runCli(['sync', '--every', '1s'], env, 30_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Check the host, port, user, password');
  });
});

describe('readSchedule', () => {
  const cwd = '/tmp';

  it('runs once by default', () => {
    expect(readSchedule({}, loadSettings({}, cwd))).toBeUndefined();
  });

  it('reads SYNC_EVERY and its jitter', () => {
    const settings = loadSettings({ SYNC_EVERY: '15m', SYNC_EVERY_JITTER: '30s' }, cwd);
    expect(readSchedule({}, settings)).toEqual({ everyMs: 900_000, jitterMs: 30_000 });
  });

  it('lets flags override the settings', () => {
    const settings = loadSettings({ SYNC_EVERY: '15m' }, cwd);
    expect(readSchedule({ every: '1h', jitter: '1m' }, settings)).toEqual({
      everyMs: 3_600_000,
      jitterMs: 60_000,
    });
  });

  it('runs once with --every 0', () => {
    const settings = loadSettings({ SYNC_EVERY: '15m' }, cwd);
    expect(readSchedule({ every: '0' }, settings)).toBeUndefined();
  });

  it('names SYNC_EVERY_JITTER when too long', () => {
    const settings = loadSettings({ SYNC_EVERY: '1m', SYNC_EVERY_JITTER: '2m' }, cwd);
    expect(() => readSchedule({}, settings)).toThrow('Invalid SYNC_EVERY_JITTER 2m 00s');
  });
});
