import type pg from 'pg';
import type { Settings } from '../config/settings';
import { startEmbeddedPostgres } from '../db/embedded';
import type { EmbeddedPostgresServer } from '../db/embedded';
import { ensureStateDirectory } from './state-dir';
import { createPool, endPool, maskDatabaseUrl } from '../db/pool';
import { ConfigError } from '../errors';
import type { Logger } from '../log';

/** An open database: the pool, a line saying which database it is, and how to close it. */
export interface OpenDatabase {
  pool: pg.Pool;
  description: string;
  /** The embedded server, when DATABASE_URL is not set. */
  embedded?: EmbeddedPostgresServer;
  close(): Promise<void>;
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the server in DATABASE_URL';
  }
}

/** SQLSTATE classes and codes that mean DATABASE_URL itself is wrong, not the server busy. */
const CONFIG_SQLSTATES = new Set(['28000', '28P01', '3D000']);

/** Connects once, so a wrong DATABASE_URL fails with a message that names it and the fix. */
async function checkConnection(pool: pg.Pool, url: string): Promise<void> {
  try {
    await pool.query('select 1');
  } catch (error) {
    await endPool(pool).catch(() => undefined);
    const code = (error as { code?: unknown }).code;
    const reason = error instanceof Error ? error.message : String(error);
    const message = `Could not connect to the database in DATABASE_URL (${maskDatabaseUrl(url)}): ${reason}. Check the host, port, user, password and database name in DATABASE_URL.`;
    if (typeof code === 'string' && CONFIG_SQLSTATES.has(code))
      throw new ConfigError(message, { cause: error });
    throw new Error(message, { cause: error });
  }
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL when it is not set. When another
 * running pendo-sync process already serves the embedded data directory, connects to that
 * server, and `close` leaves it running.
 */
export async function openDatabase(
  settings: Settings,
  logger: Logger,
  poolSize: number,
): Promise<OpenDatabase> {
  if (settings.databaseUrl) {
    const pool = createPool(settings.databaseUrl, { logger, maxConnections: poolSize });
    await checkConnection(pool, settings.databaseUrl);
    return {
      pool,
      description: `PostgreSQL at ${describeUrl(settings.databaseUrl)} (DATABASE_URL)`,
      close: () => endPool(pool),
    };
  }
  await ensureStateDirectory(settings);
  const embedded = await startEmbeddedPostgres({
    dataDir: settings.embeddedPostgresDir,
    port: settings.embeddedPostgresPort,
    logger,
  });
  const pool = createPool(embedded.url, { logger, maxConnections: poolSize });
  const server =
    embedded.ownerPid === undefined
      ? 'embedded PostgreSQL'
      : `embedded PostgreSQL of the running pendo-sync process ${embedded.ownerPid}`;
  return {
    pool,
    description: `${server} on 127.0.0.1:${embedded.port}, data in ${settings.embeddedPostgresDir} (no DATABASE_URL set)`,
    embedded,
    close: async () => {
      // The pool's connections must be gone before the server stops, or each one reports
      // SQLSTATE 57P01 (terminating connection due to administrator command).
      await endPool(pool);
      await embedded.stop();
    },
  };
}
