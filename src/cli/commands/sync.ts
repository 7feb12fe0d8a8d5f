import { formatDuration, parseDuration } from '../../config/durations';
import { assertPendoSource } from '../../config/settings';
import type { Settings } from '../../config/settings';
import { acquireSyncLock } from '../../db/lock';
import { migrate } from '../../db/migrate';
import { readSyncStatus } from '../../db/status';
import type { EventsSince } from '../../config/event-settings';
import type { EventStream } from '../../events/streams';
import type { LogLevel, Logger } from '../../log';
import type { ProgressReporter } from '../../sync/progress';
import type { Entity } from '../../types';
import { Deadline } from '../../sync/deadline';
import { runSync } from '../../sync/run-sync';
import type { StreamResult } from '../../sync/context';
import type { RunSummary } from '../../sync/run-sync';
import { openDatabase } from '../database';
import type { OpenDatabase } from '../database';
import { buildEventOptions, selectEventsSince, selectSyncTargets } from '../event-options';
import { createOutput } from '../logging';
import { openPendoSource } from '../pendo-source';
import { formatOutcomes } from '../outcomes';
import { formatTable } from '../table';
import { watchStopRequests } from '../stop-requests';
import type { StopRequest } from '../stop-requests';

export interface SyncFlags {
  full?: boolean;
  entities?: string;
  streams?: string;
  since?: string;
  maxDuration?: string;
  logLevel?: LogLevel;
  /** Time between the starts of scheduled runs (`--every`), read by readSchedule. */
  every?: string;
  /** Maximum random delay added to each scheduled start (`--jitter`). */
  jitter?: string;
}

function printEntityTable(results: RunSummary['results'], liveRows: Map<string, number>): void {
  const rows = results.map((result) => [
    result.entity,
    result.mode,
    result.status,
    result.counts.fetched,
    result.counts.inserted,
    result.counts.updated,
    result.counts.unchanged,
    result.counts.deleted,
    result.counts.apiCalls,
    liveRows.get(result.entity) ?? 0,
    formatDuration(result.durationMs),
  ]);
  const headers = [
    'entity',
    'mode',
    'status',
    'fetched',
    'inserted',
    'updated',
    'unchanged',
    'deleted',
    'api calls',
    'rows',
    'time',
  ];
  console.log(formatTable(headers, rows));
}

/** Prints one line per event stream; event rows are never updated, so no `updated` column. */
function printStreamTable(results: readonly StreamResult[]): void {
  const headers = [
    'stream',
    'mode',
    'status',
    'windows',
    'fetched',
    'inserted',
    'unchanged',
    'deleted',
    'api calls',
    'time',
  ];
  const rows = results.map((result) => [
    result.stream,
    result.mode,
    result.status,
    `${result.windowsRead}/${result.windowsPlanned}`,
    result.counts.fetched,
    result.counts.inserted,
    result.counts.unchanged,
    result.counts.deleted,
    result.counts.apiCalls,
    formatDuration(result.durationMs),
  ]);
  console.log(formatTable(headers, rows));
}

function printSummary(summary: RunSummary, liveRows: Map<string, number>): void {
  const { streams } = summary;
  if (summary.results.length > 0) printEntityTable(summary.results, liveRows);
  if (summary.results.length > 0 && streams.length > 0) console.log('');
  if (streams.length > 0) printStreamTable(streams);
  const outcomes = formatOutcomes([
    ...summary.results.map((result) => ({ ...result, name: result.entity })),
    ...streams.map((result) => ({ ...result, name: result.stream })),
  ]);
  for (const line of outcomes) console.log(line);
  console.log(`run ${summary.runId}: ${summary.status}`);
}

/**
 * Warns when the backfill start (`--since` or SYNC_EVENTS_SINCE) is later than this machine's
 * clock, because event streams then have no day to read.
 *
 * NOTE: the built-in simulator's clock starts at 2026-11-01, so a start between that date and
 * the real date reads nothing either but gives no warning.
 */
function warnIfSinceInFuture(
  sinceMs: number | undefined,
  streams: readonly EventStream[],
  logger: Logger,
): void {
  if (sinceMs === undefined || streams.length === 0 || sinceMs <= Date.now()) return;
  const since = new Date(sinceMs).toISOString();
  logger.warn(
    { since },
    `the event start ${since} (--since or SYNC_EVENTS_SINCE) is in the future, so this run reads no events; pass an earlier date or a duration such as 30d`,
  );
}

/** Inputs of every run of `sync`: the settings and flags, parsed once, and the open database. */
export interface SyncJob {
  settings: Settings;
  flags: SyncFlags;
  entities: Entity[];
  streams: EventStream[];
  since: EventsSince | undefined;
  database: OpenDatabase;
}

/** Parses the flags of `sync` that select what to sync; throws ConfigError on a bad one. */
export function readSyncTargets(
  settings: Settings,
  flags: SyncFlags,
): Pick<SyncJob, 'entities' | 'streams' | 'since'> {
  const { entities, streams } = selectSyncTargets(flags, settings);
  const since = selectEventsSince(flags.since, settings, streams);
  assertPendoSource(settings);
  return { entities, streams, since };
}

/**
 * Runs one sync on an open database: opens the Pendo source (the built-in simulator advances
 * one round), migrates, syncs and prints the summary. Throws SyncLockedError when another
 * sync holds the lock.
 */
export async function syncOnce(
  job: SyncJob,
  output: { logger: Logger; progress: ProgressReporter; deadline: Deadline },
): Promise<RunSummary> {
  const { settings, flags, entities, streams, since, database } = job;
  const { logger } = output;
  const source = await openPendoSource(settings, logger, { advanceSimulator: true });
  try {
    console.log(`Pendo: ${source.description}`);
    if (source.changes) console.log(`       ${source.changes}`);
    console.log(`Database: ${database.description}`);
    await migrate(database.pool, { logger });
    const events = buildEventOptions({
      settings,
      streams,
      since,
      sourceTimeZone: source.timeZone,
    });
    warnIfSinceInFuture(events.since, streams, logger);
    const summary = await runSync({
      pool: database.pool,
      logger,
      deadline: output.deadline,
      progress: output.progress,
      createPendoClient: (onRequest) => source.createClient(onRequest),
      options: {
        entities,
        full: Boolean(flags.full),
        appIds: settings.pendoAppIds,
        pageSize: settings.pageSize,
        batchSize: settings.batchSize,
        detectDeletions: settings.detectDeletions,
        maxAttempts: settings.maxAttempts,
        anonymousVisitors: settings.syncAnonymousVisitors,
        events,
      },
    });
    const status = await readSyncStatus(database.pool, { recentRunLimit: 0, entities });
    printSummary(summary, new Map(status.entities.map((row) => [row.entity, row.liveRows])));
    return summary;
  } finally {
    await source.close();
  }
}

/** Parses --max-duration, the limit of each run; undefined when the flag is not given. */
export function readMaxDuration(flags: SyncFlags): number | undefined {
  return flags.maxDuration ? parseDuration(flags.maxDuration, '--max-duration') : undefined;
}

/**
 * Throws SyncLockedError when another sync holds the lock, before the built-in simulator
 * advances a round for a run that could not start. The run takes the lock again for itself.
 */
async function assertNoSyncRunning(database: OpenDatabase): Promise<void> {
  const lock = await acquireSyncLock(database.pool);
  await lock.release();
}

/**
 * `pendo-sync sync`: migrates, syncs and prints what each entity and stream did. Returns the
 * exit code.
 */
export async function syncCommand(settings: Settings, flags: SyncFlags): Promise<number> {
  const targets = readSyncTargets(settings, flags);
  const deadline = new Deadline(readMaxDuration(flags));
  const { logger, progress } = createOutput(flags.logLevel, settings.logLevel);

  const stopWatching = watchStopRequests((request: StopRequest) => {
    if (deadline.passed()) process.exit(130);
    logger.warn(
      { signal: request.signal, reason: request.reason },
      `stopping after the current batch because ${request.reason}; ${request.quitHint}`,
    );
    deadline.stopNow(request.reason);
  });

  const poolSize = targets.entities.length + targets.streams.length + 4;
  const database = await openDatabase(settings, logger, poolSize);
  try {
    await assertNoSyncRunning(database);
    const job = { settings, flags, ...targets, database };
    const summary = await syncOnce(job, { logger, progress, deadline });
    return summary.status === 'failed' ? 1 : 0;
  } finally {
    stopWatching();
    await database.close();
  }
}
