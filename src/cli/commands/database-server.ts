import path from 'node:path';
import type { Settings } from '../../config/settings';
import { EMBEDDED_DATABASE, PASSWORD_FILE } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { maskDatabaseUrl } from '../../db/pool';
import { ConfigError } from '../../errors';
import { createLogger } from '../../log';
import type { LogLevel } from '../../log';
import { openDatabase } from '../database';
import { watchStopRequests } from '../stop-requests';
import type { StopRequest } from '../stop-requests';

/** Quotes `value` for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Lines that tell how to connect to the embedded server: masked URL, password file, psql. */
export function describeConnection(url: string, port: number, dataDir: string): string[] {
  const passwordFile = path.join(dataDir, PASSWORD_FILE);
  return [
    `URL:      ${maskDatabaseUrl(url)}`,
    `Password: in ${passwordFile} (replace *** with it)`,
    'psql:',
    `  PGPASSWORD="$(cat ${shellQuote(passwordFile)})" psql -h 127.0.0.1 -p ${port} -U postgres ${EMBEDDED_DATABASE}`,
  ];
}

/**
 * Resolves with the first stop request: SIGINT, SIGTERM or the end of the parent process. Then
 * stops watching, so a second signal takes its default action and ends the process at once.
 * `stopWatching` stops watching without a request.
 */
function waitForStopRequest(): { stopped: Promise<StopRequest>; stopWatching: () => void } {
  let stopWatching = () => undefined as void;
  const stopped = new Promise<StopRequest>((resolve) => {
    stopWatching = watchStopRequests((request) => {
      stopWatching();
      resolve(request);
    });
  });
  return { stopped, stopWatching };
}

/**
 * `pendo-sync database`: starts the embedded PostgreSQL, applies the migrations, prints how
 * to connect, and keeps the server running until SIGINT or SIGTERM. Meanwhile `sync`,
 * `status` and `verify` in other terminals connect to this server. When another pendo-sync
 * process already runs the server, prints how to connect and returns at once.
 */
export async function databaseCommand(
  settings: Settings,
  flags: { logLevel?: LogLevel },
): Promise<number> {
  if (settings.databaseUrl) {
    throw new ConfigError(
      `DATABASE_URL is set to ${maskDatabaseUrl(settings.databaseUrl)}, so pendo-sync uses that ` +
        'server and starts no embedded PostgreSQL. Connect to it directly, or unset ' +
        'DATABASE_URL to use the embedded one.',
    );
  }
  const logger = createLogger({ level: flags.logLevel ?? 'warn' });
  // Registered before the server starts, so a signal during start-up still stops it cleanly.
  const { stopped, stopWatching } = waitForStopRequest();
  let database;
  try {
    database = await openDatabase(settings, logger, 2);
  } catch (error) {
    stopWatching();
    throw error;
  }
  try {
    await migrate(database.pool, { logger });
    const embedded = database.embedded;
    if (!embedded) throw new Error('openDatabase returned no embedded server');
    console.log(`Database: ${database.description}`);
    for (const line of describeConnection(
      embedded.url,
      embedded.port,
      settings.embeddedPostgresDir,
    ))
      console.log(line);
    if (embedded.ownerPid !== undefined) {
      console.log(
        `The server belongs to pendo-sync process ${embedded.ownerPid} and stops when that process ends.`,
      );
      return 0;
    }
    console.log(
      'The server runs until Ctrl-C (SIGINT) or SIGTERM. Meanwhile sync, status and verify in ' +
        'another terminal use it.',
    );
    const request = await stopped;
    console.log(`Stopping the embedded PostgreSQL because ${request.reason}.`);
    return 0;
  } finally {
    await database.close();
    stopWatching();
  }
}
