import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import type { EmbeddedPostgresServer } from '../../src/db/embedded';
import { findRunningServer, waitForExit } from '../../src/db/embedded-process';
import { silentLogger } from '../../src/log';
import { findFreePort } from '../helpers/free-port';

/**
 * A PostgreSQL server of the chaos tests alone, so restarting it never disturbs the server
 * that the other test files share.
 */
export interface ChaosServer {
  /** The server's superuser password, which must never appear in a log or run log. */
  readonly password: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Shuts the server down (`fast`: SIGINT, `immediate`: SIGQUIT), waits `downMs`, starts it again. */
  restart(mode: 'fast' | 'immediate', downMs: number): Promise<void>;
  /** Stops the server and deletes its data. */
  close(): Promise<void>;
}

/** Starts an embedded PostgreSQL server on a free port with its data in a new temporary folder. */
export async function startChaosServer(): Promise<ChaosServer> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pendo-sync-chaos-'));
  // As root the server runs as the `postgres` user, which must be able to enter the folder.
  await chmod(root, 0o755);
  const dataDir = path.join(root, 'data');
  const port = await findFreePort();
  const start = () => startEmbeddedPostgres({ dataDir, port, logger: silentLogger });
  let server: EmbeddedPostgresServer = await start();
  const serverUrl = new URL(server.url);

  const adminQuery = async (sql: string): Promise<void> => {
    const admin = new URL(serverUrl);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  return {
    password: decodeURIComponent(serverUrl.password),
    async createDatabase() {
      const name = `chaos_${randomBytes(6).toString('hex')}`;
      await adminQuery(`create database ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async restart(mode, downMs) {
      if (mode === 'fast') {
        await server.stop();
      } else {
        const pid = await findRunningServer(dataDir);
        if (pid !== null) {
          process.kill(pid, 'SIGQUIT');
          if (!(await waitForExit(pid, 15_000)))
            throw new Error(`postgres ${pid} survived SIGQUIT`);
        }
      }
      await sleep(downMs);
      server = await start();
    },
    async close() {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
