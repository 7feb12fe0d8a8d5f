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

/** Text that replaces a password wherever a connection string is shown. */
const MASK = '***';

/**
 * Shown instead of a DATABASE_URL that is neither a URL nor a key=value connection string:
 * such a value may be a password pasted on its own, so no part of it is printed.
 */
export const NOT_A_URL = '(a value that is not a URL)';

/** Matches the `scheme://` at the start of a URL. */
const URL_SCHEME = /^\s*[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Matches one `key=value` pair of a libpq key=value connection string, with optional spaces
 * around `=`. A quoted value without its closing quote runs to the end of the text.
 */
const KEY_VALUE_PAIR = /\s*([^\s=]+)\s*=\s*('(?:[^'\\]|\\.)*(?:'|$)|[^\s']\S*|(?=\s|$))/y;

/** The keywords of a libpq key=value connection string that DATABASE_URL may contain. */
const KEY_VALUE_KEYWORDS = new Set([
  'host',
  'hostaddr',
  'port',
  'dbname',
  'user',
  'password',
  'passfile',
  'options',
  'application_name',
  'connect_timeout',
  'client_encoding',
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'sslpassword',
  'target_session_attrs',
  'service',
]);

/** A connection string split into the parts that masking treats differently. */
type ConnectionText =
  | { form: 'url'; head: string; password: string | undefined; tail: string }
  | { form: 'key-value'; pairs: Array<{ text: string; key: string; value: string }> }
  | { form: 'other' };

/**
 * Splits `url` by text alone, since a password with `#`, `/`, `?` or a space does not parse
 * as a URL. In `scheme://…` the password is everything between the first `:` after `//` and
 * the last `@`, so a password containing `@` or `:` is covered in full. NOTE: an `@` in the
 * query makes the mask cover the host and path too, which hides more than needed.
 */
function splitConnectionText(url: string): ConnectionText {
  const scheme = URL_SCHEME.exec(url);
  if (scheme) {
    const start = scheme[0].length;
    const at = url.lastIndexOf('@');
    const colon = url.indexOf(':', start);
    if (at > start && colon !== -1 && colon < at) {
      return {
        form: 'url',
        head: url.slice(0, colon + 1),
        password: url.slice(colon + 1, at),
        tail: url.slice(at),
      };
    }
    return { form: 'url', head: '', password: undefined, tail: url };
  }
  const pairs: Array<{ text: string; key: string; value: string }> = [];
  KEY_VALUE_PAIR.lastIndex = 0;
  while (KEY_VALUE_PAIR.lastIndex < url.trimEnd().length) {
    const from = KEY_VALUE_PAIR.lastIndex;
    const match = KEY_VALUE_PAIR.exec(url);
    if (!match || !KEY_VALUE_KEYWORDS.has(match[1]!.toLowerCase())) return { form: 'other' };
    pairs.push({
      text: url.slice(from, KEY_VALUE_PAIR.lastIndex),
      key: match[1]!,
      value: match[2]!,
    });
  }
  return pairs.length > 0 ? { form: 'key-value', pairs } : { form: 'other' };
}

/** Tells whether a parameter name, percent-decoded, names a password (as `sslpassword` does). */
function isPasswordName(name: string): boolean {
  return safeDecode(name).trim().toLowerCase().includes('password');
}

/**
 * Splits the query of a URL's text after its user information into names and values.
 * A part without `=` after a password belongs to that password (an unencoded `&` in it).
 */
function queryPairs(tail: string): Array<{ name: string; value: string | undefined }> {
  const question = tail.indexOf('?');
  if (question === -1) return [];
  const pairs: Array<{ name: string; value: string | undefined }> = [];
  for (const part of tail.slice(question + 1).split(/[&;]/)) {
    const equals = part.indexOf('=');
    const previous = pairs.at(-1);
    if (equals === -1 && previous && isPasswordName(previous.name)) {
      previous.value = `${previous.value ?? ''}&${part}`;
    } else if (equals === -1) {
      pairs.push({ name: part, value: undefined });
    } else {
      pairs.push({ name: part.slice(0, equals), value: part.slice(equals + 1) });
    }
  }
  return pairs;
}

/** Replaces the value of each password-named query parameter in `tail` with `***`. */
function maskQuery(tail: string): string {
  const question = tail.indexOf('?');
  if (question === -1) return tail;
  const query = queryPairs(tail)
    .map(({ name, value }) => {
      if (isPasswordName(name)) return `${name}=${MASK}`;
      return value === undefined ? name : `${name}=${value}`;
    })
    .join('&');
  return `${tail.slice(0, question + 1)}${query}`;
}

function unquote(value: string): string {
  return value.replace(/^'/, '').replace(/'$/, '').replace(/\\(.)/g, '$1');
}

/**
 * Returns every password in a connection string: the text of a URL's user information (also
 * when the URL does not parse), any password-named query parameter and a key=value
 * `password=` pair, each also percent-decoded. A value that is neither a URL nor a key=value
 * string may be a password pasted on its own, so it is returned whole.
 */
export function findDatabasePasswords(url: string): string[] {
  const parts = splitConnectionText(url);
  const passwords: string[] = [];
  if (parts.form === 'url') {
    if (parts.password !== undefined) passwords.push(parts.password);
    for (const { name, value } of queryPairs(parts.tail))
      if (isPasswordName(name) && value !== undefined) passwords.push(value);
  } else if (parts.form === 'key-value') {
    for (const { key, value } of parts.pairs)
      if (isPasswordName(key)) passwords.push(value, unquote(value));
  } else {
    passwords.push(url, url.trim());
  }
  const decoded = passwords.map(safeDecode);
  return [...new Set([...passwords, ...decoded])].filter((password) => password !== '');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Replaces every password in a connection string with `***`, by text alone so that a URL that
 * does not parse is masked too: the user information of a URL (see splitConnectionText),
 * password-named query parameters (the name percent-decoded, in any letter case) and
 * `password=` in a key=value string. Returns NOT_A_URL for any other value.
 */
export function maskDatabaseUrl(url: string): string {
  const parts = splitConnectionText(url);
  if (parts.form === 'other') return NOT_A_URL;
  if (parts.form === 'key-value') {
    return parts.pairs
      .map(({ text, key, value }) =>
        isPasswordName(key) ? `${text.slice(0, text.length - value.length)}${MASK}` : text,
      )
      .join('');
  }
  const tail = maskQuery(parts.tail);
  return parts.password === undefined ? tail : `${parts.head}${MASK}${tail}`;
}

/** Registers every password in a connection string as a secret, so logs and messages redact it. */
export function registerDatabasePasswords(url: string): void {
  for (const password of findDatabasePasswords(url)) registerSecret(password);
}

/** Quotes a masked connection string for a message; NOT_A_URL stays as it is. */
function showMasked(masked: string): string {
  return masked === NOT_A_URL ? masked : JSON.stringify(masked);
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
      `DATABASE_URL is not a valid PostgreSQL URL: ${showMasked(maskDatabaseUrl(url))}. ` +
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
