import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireSyncLock } from '../../src/db/lock';
import { ROLLUPS } from '../../src/db/rollups';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import type { CliResult } from './helpers';
import { cliEnvironment, runCli } from './helpers';

const SIZES = { guides: 12, features: 10, pages: 8, track_types: 3, reports: 2, segments: 2 };
const TABLES = ROLLUPS.map((rollup) => rollup.table);

describe('rebuild-rollups command', () => {
  let simulator: Simulator;
  let database: TestDatabase;
  let sync: CliResult;
  /** Every rollup table's rows after the sync, as JSON text in a fixed order. */
  const synced = new Map<string, string[]>();

  function environment(): NodeJS.ProcessEnv {
    return cliEnvironment({
      DATABASE_URL: database.url,
      PENDO_API_KEY: simulator.apiKey,
      PENDO_BASE_URL: simulator.url,
      PENDO_TIME_ZONE: simulator.timeZone,
      SYNC_STREAMS: 'all',
      SYNC_EVENTS_SINCE: '3d',
    });
  }

  /** Returns the rows of a rollup table, whose name comes from ROLLUPS, as sorted JSON text. */
  async function rowsOf(table: string): Promise<string[]> {
    const result = await database.pool.query<{ row: string }>(
      `select row_to_json(t)::text as row from ${table} as t order by 1`,
    );
    return result.rows.map((row) => row.row);
  }

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 'rebuild-cli', sizes: SIZES, eventsPerDay: 300 });
    database = await createTestDatabase();
    sync = await runCli(['sync'], environment());
    for (const table of TABLES) synced.set(table, await rowsOf(table));
  });

  afterAll(async () => {
    await simulator.close();
    await database.drop();
  });

  it('starts from a sync that filled every rollup', () => {
    expect(sync.code, sync.stderr).toBe(0);
    for (const table of TABLES) expect(synced.get(table)?.length, table).toBeGreaterThan(0);
  });

  describe('after rollup rows are deleted', () => {
    let rebuild: CliResult;

    beforeAll(async () => {
      for (const table of TABLES) {
        // Every table loses some days entirely and one table loses every row.
        const where = table === TABLES[0] ? 'true' : 'extract(day from day)::int % 2 = 0';
        await database.pool.query(`delete from ${table} where ${where}`);
      }
      rebuild = await runCli(['rebuild-rollups'], environment());
    });

    it('exits 0', () => {
      expect(rebuild.code, rebuild.stderr).toBe(0);
      expect(rebuild.stdout).toContain(`days in ${simulator.timeZone}`);
    });

    it.each(TABLES)('restores %s', async (table) => {
      expect(await rowsOf(table)).toEqual(synced.get(table));
    });

    it.each(TABLES)('prints the rows of %s', (table) => {
      const rows = synced.get(table)?.length ?? -1;
      expect(rebuild.stdout).toMatch(new RegExp(`^${table}\\s+${rows}$`, 'm'));
    });
  });

  it("uses the built-in simulator's zone", async () => {
    const builtIn = await createTestDatabase();
    try {
      const env = cliEnvironment({ DATABASE_URL: builtIn.url, PENDO_USE_SIMULATOR: 'true' });
      const first = await runCli(['sync', '--streams', 'page_events', '--since', '2d'], env);
      expect(first.code, first.stderr).toBe(0);
      const before = await builtIn.pool.query('select * from pendo_page_daily order by 1, 2, 3');
      expect(before.rows.length).toBeGreaterThan(0);
      await builtIn.pool.query('delete from pendo_page_daily');
      const result = await runCli(['rebuild-rollups'], env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('days in America/New_York');
      const after = await builtIn.pool.query('select * from pendo_page_daily order by 1, 2, 3');
      expect(after.rows).toEqual(before.rows);
    } finally {
      await builtIn.drop();
    }
  });

  it('exits 3 while a sync runs', async () => {
    const lock = await acquireSyncLock(database.pool);
    let result: CliResult;
    try {
      result = await runCli(['rebuild-rollups'], environment());
    } finally {
      await lock.release();
    }
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('another pendo-sync sync is running');
  });
});
