/**
 * `npm run bench:events`: backfills every event stream from a simulator process into
 * PostgreSQL with the real `pendo-sync sync --streams all` command and prints wall time, event
 * rows per second, peak RSS and the database size as Markdown. Run
 * `npm run bench:events -- --help` for the options.
 */
import os from 'node:os';
import path from 'node:path';
import { openBenchDatabase } from '../database';
import { readServerVersion } from '../database-queries';
import { describeMachine } from '../machine';
import type { Cleanup } from '../main';
import { runBenchmarkMain } from '../main';
import { rootOf } from '../process-monitor';
import type { EventBenchOptions } from './options';
import { USAGE, parseEventBenchOptions } from './options';
import { runCli, startEventSimulator } from './processes';
import type { CliProcessResult } from './processes';
import { readDatabaseBytes, readStreamOutcomes } from './queries';
import { formatEventReport } from './report';

const REPOSITORY = path.resolve(import.meta.dirname, '..', '..');
/** Maximum time the backfill or the verification may run before the benchmark stops it. */
const PROCESS_TIMEOUT_MS = 3 * 60 * 60_000;

function note(message: string): void {
  console.error(`[bench:events ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function difference(after: number | undefined, before: number | undefined): number | undefined {
  return after === undefined || before === undefined ? undefined : after - before;
}

async function benchmark(
  options: EventBenchOptions,
  workDir: string,
  cleanup: Cleanup,
): Promise<void> {
  const machine = await describeMachine();
  note(options.databaseUrl ? 'connecting to BENCH_DATABASE_URL' : 'starting embedded PostgreSQL');
  const database = await openBenchDatabase(options.databaseUrl, workDir);
  cleanup.add('close the database', () => database.close());
  const postgresVersion = await readServerVersion(database.pool);

  note(`starting the simulator: eventsPerDay ${options.eventsPerDay}, ${options.days} days`);
  const simulator = await startEventSimulator({
    cwd: REPOSITORY,
    eventsPerDay: options.eventsPerDay,
    days: options.days,
    visitors: options.visitors,
    seed: options.seed,
    logPrefix: path.join(workDir, 'simulator'),
  });
  cleanup.add('stop the simulator', () => simulator.stop());
  note(`simulator listening on ${simulator.url}`);

  const env = {
    DATABASE_URL: database.url,
    PENDO_BASE_URL: simulator.url,
    PENDO_API_KEY: simulator.apiKey,
    PENDO_SYNC_STATE_DIR: path.join(workDir, 'state'),
    // A real subscription's zone must be given; the simulator's is its default zone.
    PENDO_TIME_ZONE: simulator.timeZone,
  };
  const simulatorCpuBefore = rootOf(simulator.monitor.snapshot())?.cpuSeconds;
  const postgresCpuBefore = await database.readCpuSeconds();
  const loadBefore = os.loadavg()[0] ?? 0;
  note('backfilling every event stream');
  const sync = await runCli({
    cwd: REPOSITORY,
    args: ['sync', '--streams', 'all', '--since', `${options.days}d`],
    env,
    logPrefix: path.join(workDir, 'sync'),
    timeoutMs: PROCESS_TIMEOUT_MS,
  });
  const simulatorCpu = difference(
    rootOf(simulator.monitor.snapshot())?.cpuSeconds,
    simulatorCpuBefore,
  );
  const postgresCpu = difference(await database.readCpuSeconds(), postgresCpuBefore);
  const loadAfter = os.loadavg()[0] ?? 0;
  note(`sync finished in ${(sync.wallMs / 1000).toFixed(1)} s`);
  const streams = await readStreamOutcomes(database.pool);
  const unfinished = streams.filter((outcome) => outcome.status !== 'completed');
  if (unfinished.length > 0) {
    const list = unfinished.map((outcome) => `${outcome.stream} (${outcome.status})`).join(', ');
    throw new Error(
      `The sync did not complete every stream: ${list}. Its log is ${sync.stdoutFile} (kept with --keep).`,
    );
  }
  const databaseBytes = await readDatabaseBytes(database.pool);

  let verify: CliProcessResult | Error | undefined;
  if (options.verify) {
    note('verifying every event stream');
    // A failed verification is reported, not fatal, so the backfill's numbers are still printed.
    verify = await runCli({
      cwd: REPOSITORY,
      args: ['verify', '--streams', 'all'],
      env,
      logPrefix: path.join(workDir, 'verify'),
      timeoutMs: PROCESS_TIMEOUT_MS,
      allowedExitCodes: [0, 4],
    }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    if (verify instanceof Error) note(`verify failed: ${verify.message}`);
  }
  const simulatorMemory = await simulator.stop();
  const args = process.argv.slice(2);
  console.log(
    formatEventReport({
      date: new Date(),
      command: ['npm run bench:events', ...(args.length > 0 ? ['--', ...args] : [])].join(' '),
      eventsPerDay: options.eventsPerDay,
      days: options.days,
      visitors: options.visitors,
      seed: options.seed,
      machine,
      postgresVersion,
      databaseDescription: database.description,
      sync,
      streams,
      databaseBytes,
      simulatorCpu,
      postgresCpu,
      simulatorMemory,
      loadAverages: [loadBefore, loadAfter],
      verify,
    }),
  );
}

process.exitCode = await runBenchmarkMain({
  argv: process.argv.slice(2),
  parse: parseEventBenchOptions,
  usage: USAGE,
  tmpPrefix: 'pendo-sync-bench-events-',
  note,
  benchmark,
});
