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

/** Text that stands in for a password wherever a connection string is shown. */
const MASK = '***';

/**
 * Matches a `password=` pair in a URL query (`?password=…`, `&PassWord=…`) or in a key=value
 * connection string (`host=… password=…`, the value optionally in single quotes).
 */
const PASSWORD_PAIR = /(^|[\s?&;])(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&;]*)/gi;

/** Matches `scheme://user:password@`; the password runs to the last `@` of the authority. */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^/?#\s]*)@/i;

/**
 * Returns every password in a connection string: the URL's user information, any
 * `password=` query parameter (in any letter case) and a key=value `password=` pair.
 */
export function findDatabasePasswords(url: string): string[] {
  const passwords: string[] = [];
  for (const match of url.matchAll(PASSWORD_PAIR)) {
    const raw = (match[3] ?? '').replace(/^'(.*)'$/s, '$1');
    passwords.push(raw, safeDecode(raw));
  }
  const userInfo = USER_INFO.exec(url);
  if (userInfo?.[2]) passwords.push(userInfo[2], safeDecode(userInfo[2]));
  return [...new Set(passwords)].filter((password) => password !== '');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Replaces every password in a connection string with `***`: the user information of a URL,
 * `password=` query parameters in any letter case, and `password=` in a key=value string.
 * Works on text that does not parse as a URL too.
 */
export function maskDatabaseUrl(url: string): string {
  return url
    .replace(USER_INFO, `$1:${MASK}@`)
    .replace(PASSWORD_PAIR, (_match, before: string, key: string) => `${before}${key}${MASK}`);
}

/** Registers every password in a connection string as a secret, so logs and messages redact it. */
export function registerDatabasePasswords(url: string): void {
  for (const password of findDatabasePasswords(url)) registerSecret(password);
}

/**
 * Checks that `url` is a postgres:// or postgresql:// URL with a host. Registers its
 * passwords as secrets first, also when it rejects the URL, so that the logger and
 * `redactSecrets` replace them. Throws ConfigError naming DATABASE_URL otherwise.
 */
export function parseDatabaseUrl(url: string): URL {
  registerDatabasePasswords(url);
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

/**
 * Ends the pool and waits, up to `timeoutMs`, until every connection has closed its socket.
 * pg-pool's `end()` resolves as soon as it has asked each client to end, before the server
 * has seen the connections go. Stopping the embedded server right then terminates those
 * backends, and each reports SQLSTATE 57P01 (admin_shutdown) as an idle-connection error.
 */
export async function endPool(pool: pg.Pool, timeoutMs = 10_000): Promise<void> {
  const open = pool.totalCount;
  let removed = 0;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on('remove', () => {
      removed += 1;
      if (removed >= open) resolve();
    });
  });
  let timer: NodeJS.Timeout | undefined;
  // pool.end() also waits for checked-out clients, so the limit covers it too: a client that
  // is never returned must not keep the process from stopping.
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([pool.end().then(() => closed), limit]);
  } finally {
    clearTimeout(timer);
  }
}
