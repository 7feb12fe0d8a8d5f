import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_FILE } from '../../src/db/embedded';
import { acquireSyncLock } from '../../src/db/lock';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import { findFreePort } from '../helpers/free-port';
import type { CliProcess, CliResult } from './helpers';
import { cliEnvironment, runCli, spawnCli } from './helpers';

/** Polls the output of `cli` every 200 ms until it contains `text`, for at most `timeoutMs`. */
async function waitForOutput(cli: CliProcess, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cli.output().stdout.includes(text)) return;
    if (cli.child.exitCode !== null) break;
    await sleep(200);
  }
  throw new Error(`no "${text}" in the output: ${JSON.stringify(cli.output())}`);
}

/** `pendo-sync database` and other commands sharing its embedded server. */
describe('database command', () => {
  let simulator: Simulator;
  let stateDir: string;
  let port: number;
  let server: CliProcess;
  let pool: pg.Pool;
  let environment: () => NodeJS.ProcessEnv;

  beforeAll(async () => {
    simulator = await startSimulator({
      seed: 'database-command',
      sizes: { guides: 20, features: 10, pages: 8, track_types: 4, reports: 3, segments: 2 },
    });
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'pendo-sync-database-'));
    // As root the server runs as the postgres user, which must be able to enter the folder.
    chmodSync(stateDir, 0o755);
    port = await findFreePort();
    environment = () =>
      cliEnvironment({
        PENDO_SYNC_STATE_DIR: stateDir,
        EMBEDDED_POSTGRES_PORT: String(port),
        PENDO_BASE_URL: simulator.url,
        PENDO_API_KEY: simulator.apiKey,
        SYNC_STREAMS: 'none',
      });
    server = spawnCli(['database'], environment(), 180_000);
    await waitForOutput(server, 'runs until');
    const password = readFileSync(path.join(stateDir, 'postgres', PASSWORD_FILE), 'utf8').trim();
    pool = new pg.Pool({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'pendo_sync',
      max: 2,
    });
    // The server stops before this pool ends when a test fails early.
    pool.on('error', () => undefined);
  }, 120_000);

  afterAll(async () => {
    if (pool && !pool.ended) await pool.end();
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await simulator.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('prints how to connect', () => {
    const { stdout } = server.output();
    expect(stdout).toContain(`postgres://postgres:***@127.0.0.1:${port}/pendo_sync`);
    expect(stdout).toContain(path.join(stateDir, 'postgres', PASSWORD_FILE));
    expect(stdout).toContain(`psql -h 127.0.0.1 -p ${port} -U postgres pendo_sync`);
    const password = readFileSync(path.join(stateDir, 'postgres', PASSWORD_FILE), 'utf8').trim();
    expect(stdout).not.toContain(password);
  });

  it('makes a second sync exit 3', async () => {
    const lock = await acquireSyncLock(pool);
    let result: CliResult;
    try {
      result = await runCli(['sync'], environment());
    } finally {
      await lock.release();
    }
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('another pendo-sync sync is running');
    expect(result.stderr).not.toContain('in use by the server of process');
  });

  it('lets sync and status use its server', async () => {
    const sync = await runCli(['sync'], environment());
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain(`running pendo-sync process ${server.child.pid}`);
    const status = await runCli(['status'], environment());
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`running pendo-sync process ${server.child.pid}`);
    expect(status.stdout).toMatch(/guides\s+20\s/);
    const rows = await pool.query<{ count: string }>('select count(*) from pendo_guides');
    expect(rows.rows[0]?.count).toBe('20');
  });

  it('stops the server on SIGTERM', async () => {
    await pool.end();
    server.child.kill('SIGTERM');
    const result = await server.exited;
    expect(result.code).toBe(0);
    expect(existsSync(path.join(stateDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('ends a sync without 57P01 warnings', async () => {
    const result = await runCli(['sync'], environment());
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('running pendo-sync process');
    expect(result.stderr).not.toContain('57P01');
    expect(result.stderr).not.toContain('an idle database connection failed');
  });

  it('warns about a --since in the future', async () => {
    const args = ['sync', '--streams', 'page_events', '--since', '2999-01-01'];
    const result = await runCli(args, environment());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('is in the future, so this run reads no events');
  });

  it('rejects a state folder that is a file', async () => {
    const file = path.join(stateDir, 'not-a-folder');
    writeFileSync(file, 'a file\n');
    const result = await runCli(['status'], cliEnvironment({ PENDO_SYNC_STATE_DIR: file }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`PENDO_SYNC_STATE_DIR is ${file}`);
    expect(result.stderr).toContain('Set PENDO_SYNC_STATE_DIR to a folder path');
  });
});
