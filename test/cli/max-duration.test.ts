import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSyncState } from '../../src/db/cursors';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import { CATALOG_ENTITIES } from '../../src/types';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import { liveIds, sorted } from '../sync/helpers';
import type { CliResult } from './helpers';
import { cliEnvironment, runCli } from './helpers';

const GUIDES = 2000;
/** Maximum number of short runs, so a sync that never finishes fails instead of hanging. */
const MAX_RUNS = 25;

interface GuidesRun {
  status: string;
  mode: string;
  fetched: number;
  error: string | null;
}

async function guidesRuns(pool: pg.Pool): Promise<GuidesRun[]> {
  const result = await pool.query<{
    status: string;
    mode: string;
    fetched: string;
    error: string | null;
  }>(
    `select status, mode, fetched, error from sync_status
     where entity = 'guides' order by started_at, id`,
  );
  return result.rows.map((row) => ({ ...row, fetched: Number(row.fetched) }));
}

describe('sync --max-duration', () => {
  let simulator: Simulator;
  let database: TestDatabase;
  const results: CliResult[] = [];
  let runs: GuidesRun[];
  let checkpointAfterFirst: string | null | undefined;

  beforeAll(async () => {
    simulator = await startSimulator({
      seed: 'deadline-test',
      sizes: { guides: GUIDES, features: 40, pages: 20, track_types: 8, reports: 6, segments: 4 },
    });
    database = await createTestDatabase();
    const env = cliEnvironment({
      DATABASE_URL: database.url,
      PENDO_API_KEY: simulator.apiKey,
      PENDO_BASE_URL: simulator.url,
      SYNC_PAGE_SIZE: '500',
      SYNC_BATCH_SIZE: '100',
      // Only guides are counted, so event streams would only add runs.
      SYNC_STREAMS: 'none',
    });
    for (let run = 0; run < MAX_RUNS; run++) {
      const result = await runCli(['sync', '--max-duration', '1s'], env);
      results.push(result);
      if (run === 0) {
        checkpointAfterFirst = (await loadSyncState(database.pool, 'guides')).fullPass?.cursorId;
      }
      if (result.code !== 0 || /: completed$/m.test(result.stdout)) break;
    }
    runs = await guidesRuns(database.pool);
  }, 150_000);

  afterAll(async () => {
    await simulator.close();
    await database.drop();
  });

  it('stops the first run early', () => {
    const [first] = results;
    expect(first?.code).toBe(0);
    expect(first?.stdout).toMatch(/run [0-9a-f-]{36}: partial/);
    expect(first?.stdout).toContain('guides: stopped early because the --max-duration time limit');
  });

  it('records the first run partial', () => {
    expect(runs[0]?.status).toBe('partial');
    expect(runs[0]?.mode).toBe('full');
    expect(runs[0]?.error).toContain('--max-duration');
    expect(runs[0]?.fetched).toBeGreaterThan(0);
    expect(runs[0]?.fetched).toBeLessThan(GUIDES);
  });

  it('keeps a checkpoint between runs', () => {
    expect(checkpointAfterFirst).toEqual(expect.any(String));
  });

  it('exits 0 on every short run', () => {
    expect(results.map((result) => result.code)).toEqual(results.map(() => 0));
  });

  it('finishes within the bound', () => {
    expect(results.length).toBeGreaterThan(1);
    expect(results.at(-1)?.stdout).toMatch(/run [0-9a-f-]{36}: completed/);
  });

  it('progresses on every partial run', () => {
    // The completing run may read only an empty page when the previous run stopped right after
    // the last batch. A partial run that read nothing, though, would never finish.
    const partial = runs.filter((run) => run.status === 'partial');
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.filter((run) => run.fetched === 0)).toEqual([]);
  });

  it('reads each guide once overall', () => {
    const fetched = runs
      .filter((run) => run.mode === 'full')
      .reduce((sum, run) => sum + run.fetched, 0);
    expect(fetched).toBe(GUIDES);
  });

  it('converges to the truth', async () => {
    for (const entity of CATALOG_ENTITIES) {
      const truth = sorted(simulator.truthIds(entity, { allApps: true }));
      expect(await liveIds(database.pool, entity), entity).toEqual(truth);
    }
  });

  it('ends without a checkpoint', async () => {
    const state = await loadSyncState(database.pool, 'guides');
    expect(state.fullPass).toBeNull();
    expect(runs.at(-1)?.status).toBe('completed');
  });
});
