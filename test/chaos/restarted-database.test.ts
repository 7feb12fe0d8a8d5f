import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate';
import { createPool } from '../../src/db/pool';
import { ABANDONED_RUN_ERROR } from '../../src/db/runs';
import { silentLogger } from '../../src/log';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import type { RunLogRow } from '../sync/helpers';
import { liveIds, runLog, runTestSync, sorted, truthById } from '../sync/helpers';
import { startChaosServer } from './chaos-server';
import type { ChaosServer } from './chaos-server';

/** Sizes that keep a sync with batches of 10 busy for a few seconds. */
const SIZES = {
  guides: 1500,
  features: 1500,
  pages: 800,
  track_types: 300,
  reports: 9,
  segments: 6,
};

/** Maximum time to wait for the run to have written a batch. */
const START_TIMEOUT_MS = 30_000;

/** Polls the run log until an entity of a running sync has counted fetched records. */
async function waitForProgress(pool: pg.Pool): Promise<boolean> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const found = await pool.query(
      `select 1 from sync_status where status = 'running' and fetched > 0 limit 1`,
    );
    if ((found.rowCount ?? 0) > 0) return true;
    await sleep(20);
  }
  return false;
}

// A restart fails the run log writes made while the server is down. Each entity must still
// end, and store why it stopped once the server is back, instead of being left `running`
// for the next sync to mark as abandoned.
describe('database restarted mid-run', () => {
  let server: ChaosServer;
  let simulator: Simulator;
  let pool: pg.Pool;

  beforeAll(async () => {
    server = await startChaosServer();
    simulator = await startSimulator({ seed: 'restart-test', sizes: SIZES });
    pool = createPool(await server.createDatabase(), { logger: silentLogger, maxConnections: 6 });
    await migrate(pool);
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await simulator?.close();
    await server?.close();
  });

  it('stores the cause and converges', async () => {
    const target = { simulator, pool };
    const syncing = runTestSync(target, { batchSize: 10, pageSize: 100 });
    expect(await waitForProgress(pool)).toBe(true);
    await server.restart('fast', 1_500);
    const faulty = await syncing;

    const rows: RunLogRow[] = await runLog(pool, faulty.summary.runId);
    expect(rows.length).toBe(Object.keys(SIZES).length);
    for (const row of rows) {
      const name = `${row.entity} (${row.status}): ${row.error}`;
      expect(row.status, name).not.toBe('running');
      expect(row.error, name).not.toBe(ABANDONED_RUN_ERROR);
      if (row.status !== 'completed') {
        expect(row.error, name).toMatch(/^(the database connection was lost: |stopped early: )/);
      }
    }
    const errors = rows.map((row) => row.error ?? '');
    expect(errors.some((error) => error.startsWith('the database connection was lost: '))).toBe(
      true,
    );
    expect(errors.some((error) => error.includes(server.password))).toBe(false);

    const clean = await runTestSync(target);
    expect(clean.summary.status).toBe('completed');
    for (const entity of ['guides', 'features'] as const) {
      const truth = await truthById(simulator, entity);
      expect(await liveIds(pool, entity), entity).toEqual(sorted(truth.keys()));
    }
  }, 120_000);
});
