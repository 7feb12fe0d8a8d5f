import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import { findFreePort } from '../helpers/free-port';
import { cliEnvironment, runCli } from './helpers';

const WRONG_KEY = 'b4dc0ffe-0000-4000-a000-000000000bad';

/** Exit codes with the embedded PostgreSQL, whose package installs its own exit handlers. */
describe('CLI on the embedded database', () => {
  let simulator: Simulator;
  let stateDir: string;
  let environment: (key: string) => NodeJS.ProcessEnv;

  beforeAll(async () => {
    simulator = await startSimulator({
      seed: 'embedded-cli',
      sizes: { guides: 30, features: 20, pages: 10, track_types: 5, reports: 4, segments: 3 },
    });
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'pendo-sync-embedded-'));
    // As root the server runs as the postgres user, which must be able to enter the folder.
    chmodSync(stateDir, 0o755);
    const port = String(await findFreePort());
    environment = (key) =>
      cliEnvironment({
        PENDO_SYNC_STATE_DIR: stateDir,
        EMBEDDED_POSTGRES_PORT: port,
        PENDO_BASE_URL: simulator.url,
        PENDO_API_KEY: key,
        PENDO_MAX_ATTEMPTS: '1',
        SYNC_STREAMS: 'none',
      });
  });

  afterAll(async () => {
    await simulator.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('exits 1 when the sync fails', async () => {
    const result = await runCli(['sync'], environment(WRONG_KEY));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed');
  });

  it('exits 0 when the sync succeeds', async () => {
    const result = await runCli(['sync'], environment(simulator.apiKey));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('completed');
  });

  it('exits 4 when verify finds drift', async () => {
    const clean = await runCli(['verify'], environment(simulator.apiKey));
    expect(clean.code).toBe(0);
    simulator.mutate({ deletes: { guides: 2 } });
    const drifted = await runCli(['verify'], environment(simulator.apiKey));
    expect(drifted.code).toBe(4);
    expect(drifted.stdout).toContain('DRIFT');
  });
});
