import path from 'node:path';
import type { Settings } from '../../config/settings';
import { EMBEDDED_DATABASE, PASSWORD_FILE } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { maskDatabaseUrl } from '../../db/pool';
import { ConfigError } from '../../errors';
import { createLogger } from '../../log';
import type { LogLevel } from '../../log';
import { openDatabase } from '../database';

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

/** Resolves with the name of the first SIGINT or SIGTERM this process receives. */
function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
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
      `DATABASE_URL is set (${maskDatabaseUrl(settings.databaseUrl)}), so pendo-sync uses that ` +
        'server and starts no embedded PostgreSQL. Connect to it directly, or unset ' +
        'DATABASE_URL to use the embedded one.',
    );
  }
  const logger = createLogger({ level: flags.logLevel ?? 'warn' });
  // Registered before the server starts, so a signal during start-up still stops it cleanly.
  const stopped = waitForStopSignal();
  const database = await openDatabase(settings, logger, 2);
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
    const signal = await stopped;
    console.log(`Received ${signal}; stopping the embedded PostgreSQL.`);
    return 0;
  } finally {
    await database.close();
  }
}
