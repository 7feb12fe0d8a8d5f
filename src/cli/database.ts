import type pg from 'pg';
import type { Settings } from '../config/settings';
import { startEmbeddedPostgres } from '../db/embedded';
import { createPool } from '../db/pool';
import type { Logger } from '../log';

/** An open database: the pool, a line saying which database it is, and how to close it. */
export interface OpenDatabase {
  pool: pg.Pool;
  description: string;
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

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL when it is not set. */
export async function openDatabase(
  settings: Settings,
  logger: Logger,
  poolSize: number,
): Promise<OpenDatabase> {
  if (settings.databaseUrl) {
    const pool = createPool(settings.databaseUrl, { logger, maxConnections: poolSize });
    return {
      pool,
      description: `PostgreSQL at ${describeUrl(settings.databaseUrl)} (DATABASE_URL)`,
      close: () => pool.end(),
    };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: settings.embeddedPostgresDir,
    port: settings.embeddedPostgresPort,
    logger,
  });
  const pool = createPool(embedded.url, { logger, maxConnections: poolSize });
  return {
    pool,
    description: `embedded PostgreSQL on 127.0.0.1:${settings.embeddedPostgresPort}, data in ${settings.embeddedPostgresDir} (no DATABASE_URL set)`,
    close: async () => {
      await pool.end();
      await embedded.stop();
    },
  };
}
