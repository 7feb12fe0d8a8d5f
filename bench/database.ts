import { chmod, mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { findRunningServer } from '../src/db/embedded-process';
import { maskDatabaseUrl } from '../src/db/pool';
import { createLogger } from '../src/log';
import { listDescendants, readProcessCpu } from './proc-status';

/** The PostgreSQL that a benchmark syncs into. */
export interface BenchDatabase {
  url: string;
  /** Server address or data folder, without the password. */
  description: string;
  pool: pg.Pool;
  /** CPU seconds the server's processes have used so far, or undefined when it is not local. */
  readCpuSeconds(): Promise<number | undefined>;
  /** Closes the pool and stops the embedded server, if one was started. */
  close(): Promise<void>;
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Sums the CPU time of the postmaster (its own and that of backends it has reaped) and of its
 * live child processes.
 */
async function readServerCpuSeconds(postmasterPid: number): Promise<number | undefined> {
  const postmaster = await readProcessCpu(postmasterPid);
  if (postmaster === null) return undefined;
  let total = postmaster.ownSeconds + postmaster.reapedChildrenSeconds;
  for (const pid of await listDescendants(postmasterPid)) {
    total += (await readProcessCpu(pid))?.ownSeconds ?? 0;
  }
  return total;
}

/** Throws when the database already has guides: the benchmark needs an empty pendo-sync schema. */
async function assertNoGuides(pool: pg.Pool): Promise<void> {
  const exists = await pool.query<{ table: string | null }>(
    `select to_regclass('pendo_guides')::text as table`,
  );
  if (!exists.rows[0]?.table) return;
  const rows = await pool.query<{ count: string }>('select count(*) as count from pendo_guides');
  if (Number(rows.rows[0]?.count ?? 0) > 0) {
    throw new Error(
      'BENCH_DATABASE_URL names a database whose pendo_guides table has rows. The benchmark ' +
        'needs an empty database of its own; create one (createdb pendo_sync_bench) and point ' +
        'BENCH_DATABASE_URL at it, or unset it to use an embedded server.',
    );
  }
}

async function openExternal(url: string): Promise<BenchDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await assertNoGuides(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    url,
    description: `PostgreSQL at ${maskDatabaseUrl(url)} (BENCH_DATABASE_URL)`,
    pool,
    readCpuSeconds: () => Promise.resolve(undefined),
    close: () => pool.end(),
  };
}

/**
 * Starts an embedded PostgreSQL with its data in `<workDir>/postgres` on a free port. As root
 * the server runs as the `postgres` user, so `workDir` is made enterable by other users.
 */
async function openEmbedded(workDir: string): Promise<BenchDatabase> {
  const dataDir = path.join(workDir, 'postgres');
  await mkdir(workDir, { recursive: true });
  await chmod(workDir, 0o755);
  const port = await findFreePort();
  const logger = createLogger({ level: 'warn' });
  const server = await startEmbeddedPostgres({ dataDir, port, logger });
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  return {
    url: server.url,
    description: `embedded PostgreSQL on 127.0.0.1:${port}, data in ${dataDir}`,
    pool,
    readCpuSeconds: async () => {
      const pid = await findRunningServer(dataDir);
      return pid === null ? undefined : readServerCpuSeconds(pid);
    },
    close: async () => {
      await pool.end();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens BENCH_DATABASE_URL when set, otherwise starts an embedded server under `workDir`. */
export function openBenchDatabase(
  externalUrl: string | undefined,
  workDir: string,
): Promise<BenchDatabase> {
  return externalUrl ? openExternal(externalUrl) : openEmbedded(workDir);
}
