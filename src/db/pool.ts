import pg from 'pg';
import { ConfigError } from '../errors';
import type { Logger } from '../log';
import { registerSecret } from '../log';

export interface PoolOptions {
  logger: Logger;
  /** Shown in pg_stat_activity; `pendo-sync` by default. */
  applicationName?: string;
  /** Server-side limit for each statement, in milliseconds; none by default. */
  statementTimeoutMs?: number;
  /** Maximum open connections; 4 by default (the sync lock keeps one of them for the run). */
  maxConnections?: number;
}

const EXPECTED_FORM = 'postgres://USER:PASSWORD@HOST:5432/DATABASE';

/** Replaces the password of a connection URL with `***`, also when the URL does not parse. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/**
 * Checks that `url` is a postgres:// or postgresql:// URL with a host, and registers its
 * password as a secret, so that the logger and `redactSecrets` replace it. Throws ConfigError
 * naming DATABASE_URL otherwise.
 */
export function parseDatabaseUrl(url: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const valid =
    parsed !== undefined &&
    (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:') &&
    parsed.hostname !== '';
  if (!parsed || !valid) {
    throw new ConfigError(
      `DATABASE_URL is not a valid PostgreSQL URL: ${JSON.stringify(maskDatabaseUrl(url))}. ` +
        `Expected the form ${EXPECTED_FORM}.`,
    );
  }
  registerSecret(decodeURIComponent(parsed.password));
  return parsed;
}

/**
 * Creates a connection pool for `url` after validating it. Errors of idle connections (a
 * server restart, a dropped network) are logged instead of crashing the process, and the
 * pool opens new connections in their place.
 */
export function createPool(url: string, options: PoolOptions): pg.Pool {
  parseDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    application_name: options.applicationName ?? 'pendo-sync',
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: 15_000,
    idleTimeoutMillis: 30_000,
    ...(options.statementTimeoutMs === undefined
      ? {}
      : { statement_timeout: options.statementTimeoutMs }),
  });
  pool.on('error', (error) => {
    options.logger.warn({ err: error }, 'an idle database connection failed; the pool replaces it');
  });
  return pool;
}
