import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import { findFreePort } from '../helpers/free-port';
import type { CliResult } from '../cli/helpers';
import { cliEnvironment, runCli } from '../cli/helpers';

/** A key shaped like the integration keys Pendo issues. */
const API_KEY = '3f9a7c2e-81d4-4b6a-9e5f-0c7d2a1b8e44';

describe('secrets in the output of faulty runs', () => {
  let simulator: Simulator;
  let database: TestDatabase;
  let password: string;
  let faulty: CliResult;
  let unreachable: CliResult;
  let runLogText: string[];

  beforeAll(async () => {
    simulator = await startSimulator({
      seed: 'secret-logs',
      apiKeys: [API_KEY],
      sizes: { guides: 20, features: 10, pages: 10, track_types: 4, reports: 4, segments: 3 },
    });
    database = await createTestDatabase();
    password = decodeURIComponent(new URL(database.url).password);
    // The worst case: error bodies that echo the key and the database password back.
    const echo = `key ${API_KEY} password ${password}`;
    simulator.injectFault({ path: 'report', status: 403, body: `Forbidden: ${echo}`, times: 20 });
    simulator.injectFault({
      path: 'segment',
      status: 500,
      body: `<h1>500</h1> ${echo}`,
      times: 20,
    });
    simulator.injectFault({ path: 'aggregation', status: 500, body: `oops ${echo}`, times: 2 });
    const env = {
      PENDO_API_KEY: API_KEY,
      PENDO_BASE_URL: simulator.url,
      SYNC_STREAMS: 'none',
      PENDO_MAX_ATTEMPTS: '2',
    };
    faulty = await runCli(
      ['sync', '--log-level', 'debug'],
      cliEnvironment({ ...env, DATABASE_URL: database.url }),
    );
    const closed = new URL(database.url);
    closed.port = String(await findFreePort());
    unreachable = await runCli(
      ['sync', '--log-level', 'debug'],
      cliEnvironment({ ...env, DATABASE_URL: closed.toString() }),
    );
    const rows = await database.pool.query<{ text: string }>(
      'select row_to_json(run_row)::text as text from sync_status as run_row',
    );
    runLogText = rows.rows.map((row) => row.text);
  }, 180_000);

  afterAll(async () => {
    await simulator.close();
    await database.drop();
  });

  it('sends the key and gets the faults', () => {
    const faults = simulator.requestLog.map((entry) => entry.fault);
    expect(faults).toContain('403');
    expect(faults).toContain('500');
  });

  it('fails the faulty run', () => {
    expect(faulty.code).toBe(1);
    expect(faulty.stdout).toMatch(/run [0-9a-f-]{36}: (failed|partial)/);
    expect(faulty.stderr).toContain('"level":40');
  });

  it('fails on the unreachable database', () => {
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.stderr).toContain('DATABASE_URL');
  });

  it('logs the echoed bodies redacted', () => {
    // The bodies reach the log with both secrets replaced, so the checks below can fail.
    expect(faulty.stderr).toContain('oops key [redacted] password [redacted]');
  });

  it('records errors in the run log', () => {
    expect(runLogText.length).toBeGreaterThan(0);
    expect(runLogText.some((text) => text.includes('403'))).toBe(true);
  });

  it.each([
    ['faulty run stdout', () => faulty.stdout],
    ['faulty run stderr', () => faulty.stderr],
    ['unreachable database stdout', () => unreachable.stdout],
    ['unreachable database stderr', () => unreachable.stderr],
    ['run log', () => runLogText.join('\n')],
  ])('keeps both secrets out of the %s', (_name, read) => {
    const text = read();
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(password);
  });
});
