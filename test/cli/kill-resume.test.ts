import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSyncState } from '../../src/db/cursors';
import type { SyncState } from '../../src/db/cursors';
import { ABANDONED_RUN_ERROR } from '../../src/db/runs';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import { liveIds, rowCount, sorted } from '../sync/helpers';
import type { CliResult } from './helpers';
import { cliEnvironment, runCli, spawnCli } from './helpers';

const GUIDES = 3000;
const PAGE_SIZE = 1000;
const BATCH_SIZE = 200;
/** Batches to wait for before the kill: enough to prove a resume, few enough to kill mid-pass. */
const BATCHES_BEFORE_KILL = 3;

interface RunRow {
  run_id: string;
  entity: string;
  mode: string;
  status: string;
  fetched: string;
  error: string | null;
}

async function guidesRuns(pool: pg.Pool): Promise<RunRow[]> {
  const result = await pool.query<RunRow>(
    `select run_id, entity, mode, status, fetched, error from sync_status
     where entity = 'guides' order by started_at, id`,
  );
  return result.rows;
}

/** Polls until `check` returns a value, every 50 ms for at most `timeoutMs`. */
async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  description: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
}

/** Returns true when no session holds an advisory lock, such as the killed sync's lock. */
async function advisoryLockFree(pool: pg.Pool): Promise<true | undefined> {
  const result = await pool.query(`select 1 from pg_locks where locktype = 'advisory'`);
  return result.rowCount === 0 ? true : undefined;
}

describe('sync killed mid-run', () => {
  let simulator: Simulator;
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let killed: CliResult;
  let stateAtKill: SyncState;
  let idsAtKill: string[];
  let seenAtKill: number;
  let runningAtKill: string[];
  let rerun: CliResult;

  beforeAll(async () => {
    simulator = await startSimulator({
      seed: 'kill-test',
      sizes: { guides: GUIDES, features: 40, pages: 20, track_types: 8, reports: 6, segments: 4 },
    });
    database = await createTestDatabase();
    env = cliEnvironment({
      DATABASE_URL: database.url,
      PENDO_API_KEY: simulator.apiKey,
      PENDO_BASE_URL: simulator.url,
      SYNC_PAGE_SIZE: String(PAGE_SIZE),
      SYNC_BATCH_SIZE: String(BATCH_SIZE),
      // The kill lands in the guides pass; event streams would only slow the runs down.
      SYNC_STREAMS: 'none',
    });

    const child = spawnCli(['sync'], env);
    await waitFor(
      async () => {
        const runs = await guidesRuns(database.pool);
        const fetched = Number(runs[0]?.fetched ?? 0);
        return fetched >= BATCHES_BEFORE_KILL * BATCH_SIZE ? fetched : undefined;
      },
      60_000,
      `${BATCHES_BEFORE_KILL} committed guide batches`,
    );
    child.child.kill('SIGKILL');
    killed = await child.exited;

    await waitFor(
      () => advisoryLockFree(database.pool),
      10_000,
      'the killed sync to lose its lock',
    );
    stateAtKill = await loadSyncState(database.pool, 'guides');
    idsAtKill = await liveIds(database.pool, 'guides');
    const seen = await database.pool.query(`select 1 from sync_seen_ids where entity = 'guides'`);
    seenAtKill = seen.rowCount ?? 0;
    const running = await database.pool.query<{ entity: string }>(
      `select entity from sync_status where status = 'running' order by entity`,
    );
    runningAtKill = running.rows.map((row) => row.entity);

    rerun = await runCli(['sync'], env);
  }, 120_000);

  afterAll(async () => {
    await simulator.close();
    await database.drop();
  });

  it('was killed mid-pass', () => {
    expect(killed.signal).toBe('SIGKILL');
    expect(idsAtKill.length).toBeGreaterThanOrEqual(BATCHES_BEFORE_KILL * BATCH_SIZE);
    expect(idsAtKill.length).toBeLessThan(GUIDES);
    expect(runningAtKill).toContain('guides');
  });

  it('left whole batches only', () => {
    expect(idsAtKill.length % BATCH_SIZE).toBe(0);
  });

  it('checkpointed the last committed id', () => {
    expect(stateAtKill.fullPass).not.toBeNull();
    expect(stateAtKill.fullPass?.cursorId).toBe(idsAtKill.at(-1));
  });

  it('committed a prefix of the ids', () => {
    // A full pass reads in id order, so the committed rows are every id up to the checkpoint.
    const checkpoint = stateAtKill.fullPass?.cursorId ?? '';
    const truth = sorted(simulator.truthIds('guides', { allApps: true }));
    expect(idsAtKill).toEqual(truth.filter((id) => id <= checkpoint));
  });

  it('recorded the seen ids with each batch', () => {
    expect(seenAtKill).toBe(idsAtKill.length);
  });

  it('completes the rerun', () => {
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/run [0-9a-f-]{36}: completed/);
  });

  it('ends equal to the truth', async () => {
    const truth = sorted(simulator.truthIds('guides', { allApps: true }));
    expect(await liveIds(database.pool, 'guides')).toEqual(truth);
    expect(await rowCount(database.pool, 'guides')).toBe(GUIDES);
  });

  it('marks the killed run abandoned', async () => {
    const [first] = await guidesRuns(database.pool);
    expect(first?.status).toBe('failed');
    expect(first?.error).toBe(ABANDONED_RUN_ERROR);
    const stillRunning = await database.pool.query(
      `select 1 from sync_status where status = 'running'`,
    );
    expect(stillRunning.rowCount).toBe(0);
  });

  it('resumes from the checkpoint', async () => {
    const runs = await guidesRuns(database.pool);
    expect(runs).toHaveLength(2);
    expect(runs[1]?.mode).toBe('full');
    expect(runs[1]?.status).toBe('completed');
    expect(Number(runs[1]?.fetched)).toBe(GUIDES - idsAtKill.length);
    expect(rerun.stderr).toContain('"pass":"full (resumed)"');
  });

  it('clears the checkpoint', async () => {
    const state = await loadSyncState(database.pool, 'guides');
    expect(state.fullPass).toBeNull();
    expect(state.lastFullPassAt).not.toBeNull();
    const seen = await database.pool.query(`select 1 from sync_seen_ids where entity = 'guides'`);
    expect(seen.rowCount).toBe(0);
  });
});
