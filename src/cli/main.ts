import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadSettings, readLogLevel } from '../config/settings';
import { ConfigError, SyncLockedError } from '../errors';
import { LOG_LEVELS, redactSecrets } from '../log';
import type { LogLevel } from '../log';
import { databaseCommand } from './commands/database-server';
import { migrateCommand } from './commands/migrate';
import { rebuildRollupsCommand } from './commands/rebuild-rollups';
import { readSchedule, scheduledSyncCommand } from './commands/schedule';
import { simulatorCommand } from './commands/simulator';
import type { SimulatorFlags } from './commands/simulator';
import { statusCommand } from './commands/status';
import { syncCommand } from './commands/sync';
import { verifyCommand } from './commands/verify';
import type { SyncFlags } from './commands/sync';

/**
 * Exit codes: 1 a sync or command failed, 2 invalid configuration or command line, 3 another
 * sync holds the lock, 4 `verify` found drift.
 */
const EXIT_FAILED = 1;
const EXIT_CONFIG = 2;
const EXIT_LOCKED = 3;

function parseLevel(value: string): LogLevel {
  try {
    return readLogLevel(value, '--log-level');
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function parseLimit(value: string): number {
  // Digits only: Number() would also take 1e3, 0x10, 1_000 or surrounding spaces.
  const limit = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
    throw new ConfigError(
      `Invalid --limit ${JSON.stringify(value)}: expected a whole number from 1 to 1000, in digits.`,
    );
  }
  return limit;
}

function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('pendo-sync')
    .description('Keeps a PostgreSQL copy of a Pendo subscription complete and fresh.')
    .showHelpAfterError()
    // Commander exits on its own on a usage error; exitOverride makes it throw instead, so
    // main() can exit 2 like other invalid configuration. Subcommands inherit this setting.
    .exitOverride();

  program
    .command('sync')
    .description('Sync Pendo into PostgreSQL: incremental by default, full on the first run.')
    .option(
      '--full',
      'read every record of every app and mark records missing from Pendo as deleted',
    )
    .option(
      '--entities <list>',
      'comma-separated entities to sync, "all" or "none"; alone, it syncs no event stream (default: all)',
    )
    .option(
      '--streams <list>',
      'comma-separated event streams to sync, "all" or "none"; alone, it syncs no entity (default: SYNC_STREAMS)',
    )
    .option(
      '--since <date|duration>',
      "where event streams start: a date (2026-10-01, local midnight of PENDO_TIME_ZONE), a time with its offset (2026-10-01T06:00:00Z) or a duration before Pendo's current time, e.g. 30d (default: SYNC_EVENTS_SINCE)",
    )
    .option(
      '--max-duration <duration>',
      'stop at a batch boundary after this long, e.g. 25s or 10m; the next run continues',
    )
    .option(
      '--every <duration>',
      'keep running: start a sync this long after the start of the previous one, e.g. 15m, until SIGINT or SIGTERM; 0 runs once (default: SYNC_EVERY)',
    )
    .option(
      '--jitter <duration>',
      'with --every, delay each start by a random time up to this long, e.g. 30s (default: SYNC_EVERY_JITTER, 0)',
    )
    .addOption(
      new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).argParser(parseLevel),
    )
    .action(async (flags: SyncFlags) => {
      const settings = loadSettings();
      const schedule = readSchedule(flags, settings);
      setExitCode(
        schedule
          ? await scheduledSyncCommand(settings, flags, schedule)
          : await syncCommand(settings, flags),
      );
    });

  program
    .command('status')
    .description(
      'Show row counts and freshness per entity, the windows and lag of each event stream, and the recent runs.',
    )
    .option('--limit <n>', 'number of recent run rows to show', '20')
    .action(async (flags: { limit: string }) =>
      setExitCode(await statusCommand(loadSettings(), parseLimit(flags.limit))),
    );

  program
    .command('verify')
    .description(
      'Compare the database with Pendo: ids per entity and app, deletions, update times, and event totals per stream, day and app.',
    )
    .option(
      '--entities <list>',
      'comma-separated entities to verify, "all" or "none"; alone, it verifies no event stream (default: all)',
    )
    .option(
      '--streams <list>',
      'comma-separated event streams to verify, "all" or "none"; alone, it verifies no entity (default: SYNC_STREAMS)',
    )
    .action(async (flags: { entities?: string; streams?: string }) =>
      setExitCode(await verifyCommand(loadSettings(), flags)),
    );

  program
    .command('database')
    .description(
      'Start the embedded PostgreSQL, print how to connect to it (psql or a URL), and keep it running until Ctrl-C or SIGTERM; meanwhile sync, status and verify in another terminal use it.',
    )
    .addOption(
      new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).argParser(parseLevel),
    )
    .action(async (flags: { logLevel?: LogLevel }) =>
      setExitCode(await databaseCommand(loadSettings(), flags)),
    );

  program
    .command('migrate')
    .description('Apply the database migrations (a sync also does this first).')
    .action(async () => setExitCode(await migrateCommand(loadSettings())));

  program
    .command('rebuild-rollups')
    .description(
      'Compute every rollup table again from the stored events in the time zone a sync uses, for example after changing PENDO_TIME_ZONE.',
    )
    .action(async () => setExitCode(await rebuildRollupsCommand(loadSettings())));

  program
    .command('simulator')
    .description('Run the Pendo API simulator as an HTTP server until interrupted.')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '8787')
    .option('--seed <n>', 'seed of the generated subscription', '1')
    .option('--key <key>', 'integration key to accept (default: one is generated and printed)')
    .option('--apps <n>', 'number of apps')
    .option('--guides <n>', 'number of guides')
    .option('--features <n>', 'number of features')
    .option('--pages <n>', 'number of pages')
    .option('--track-types <n>', 'number of track types')
    .option('--reports <n>', 'number of reports')
    .option('--segments <n>', 'number of segments')
    .action(async (flags: SimulatorFlags) => setExitCode(await simulatorCommand(flags)));

  return program;
}

/**
 * Commander's codes for --help and --version, which end with exit code 0. Every other
 * CommanderError is a usage error (unknown option or command, invalid value, extra argument).
 */
const COMMANDER_SUCCESS_CODES = new Set([
  'commander.helpDisplayed',
  'commander.help',
  'commander.version',
]);

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    return COMMANDER_SUCCESS_CODES.has(error.code) && error.exitCode === 0 ? 0 : EXIT_CONFIG;
  }
  if (error instanceof ConfigError) return EXIT_CONFIG;
  if (error instanceof SyncLockedError) return EXIT_LOCKED;
  return EXIT_FAILED;
}

async function main(): Promise<void> {
  let exitCode = 0;
  try {
    await buildProgram((code) => {
      exitCode = code;
    }).parseAsync(process.argv);
  } catch (error) {
    exitCode = exitCodeFor(error);
    // Commander has already printed its own message (and the help) before throwing.
    if (!(error instanceof CommanderError)) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`pendo-sync: ${redactSecrets(message)}`);
    }
  }
  process.exitCode = exitCode;
}

await main();
