import { formatDuration, parseDuration } from '../../config/durations';
import type { Settings } from '../../config/settings';
import { ConfigError, SyncLockedError } from '../../errors';
import type { Logger } from '../../log';
import { Deadline } from '../../sync/deadline';
import { planNextRun } from '../../sync/schedule';
import type { RunStatus } from '../../types';
import type { NextRun } from '../../sync/schedule';
import { openDatabase } from '../database';
import { createOutput, createProgress } from '../logging';
import { watchStopRequests } from '../stop-requests';
import type { StopRequest } from '../stop-requests';
import { readMaxDuration, readSyncTargets, syncOnce } from './sync';
import type { SyncFlags, SyncJob } from './sync';

/** Interval and jitter of `sync --every`, in milliseconds. */
export interface ScheduleOptions {
  everyMs: number;
  jitterMs: number;
}

/** Outcome of one scheduled run: its run status, or `locked` when another process held the lock. */
type ScheduledRunOutcome = RunStatus | 'locked';

/** Maximum delay of one timer, because Node fires a timer above 2^31 - 1 ms at once. */
const MAX_TIMER_MS = 3_600_000;

/**
 * Reads `--every` and `--jitter`, or SYNC_EVERY and SYNC_EVERY_JITTER when a flag is absent.
 * Returns undefined for a single run: no interval is set, or `--every 0` overrides SYNC_EVERY.
 */
export function readSchedule(flags: SyncFlags, settings: Settings): ScheduleOptions | undefined {
  const everyMs =
    flags.every === undefined
      ? (settings.syncEveryMs ?? 0)
      : parseDuration(flags.every, '--every', { allowZero: true });
  const jitterName = flags.jitter === undefined ? 'SYNC_EVERY_JITTER' : '--jitter';
  const jitterMs =
    flags.jitter === undefined
      ? settings.syncEveryJitterMs
      : parseDuration(flags.jitter, '--jitter', { allowZero: true });
  if (everyMs === 0) {
    if (flags.jitter !== undefined) {
      throw new ConfigError(
        '--jitter applies only to scheduled runs: add --every (or set SYNC_EVERY), or remove --jitter.',
      );
    }
    return undefined;
  }
  if (jitterMs >= everyMs) {
    throw new ConfigError(
      `Invalid ${jitterName} ${formatDuration(jitterMs)}: it must be shorter than the interval between runs (${formatDuration(everyMs)}). Use a jitter of a few percent of the interval.`,
    );
  }
  return { everyMs, jitterMs };
}

/**
 * Turns SIGINT, SIGTERM and the end of the parent process (see watchStopRequests) into a stop
 * of the loop: the current run stops at its next batch boundary, a wait for the next run ends
 * at once, and a second signal exits with code 130.
 */
class ScheduleStopper {
  /** The first stop request; the loop ends once it is set. */
  request: StopRequest | undefined;
  private deadline: Deadline | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly logger: Logger) {}

  readonly onStopRequest = (request: StopRequest): void => {
    if (this.request) process.exit(130);
    this.request = request;
    this.logger.warn(
      { signal: request.signal, reason: request.reason },
      `stopping the schedule after the current batch because ${request.reason}; ${request.quitHint}`,
    );
    this.deadline?.stopNow(request.reason);
    this.wake?.();
  };

  /** Lets a signal stop the run that uses `deadline`, until `endRun`. */
  beginRun(deadline: Deadline): void {
    this.deadline = deadline;
    if (this.request) deadline.stopNow(this.request.reason);
  }

  endRun(): void {
    this.deadline = undefined;
  }

  /**
   * Waits until `timeMs` (epoch milliseconds) or a stop request, whichever comes first.
   * Returns the stop request, if any.
   */
  async sleepUntil(timeMs: number): Promise<StopRequest | undefined> {
    while (!this.request) {
      const remainingMs = timeMs - Date.now();
      if (remainingMs <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remainingMs, MAX_TIMER_MS));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return this.request;
  }
}

/**
 * Runs one sync of the schedule. A failed run, or another process holding the sync lock, is
 * logged and returned so the loop goes on. A ConfigError is thrown, because every later run
 * would fail the same way.
 */
async function runScheduledSync(
  job: SyncJob,
  stopper: ScheduleStopper,
  logger: Logger,
  maxDurationMs: number | undefined,
): Promise<ScheduledRunOutcome> {
  const deadline = new Deadline(maxDurationMs);
  stopper.beginRun(deadline);
  try {
    const progress = createProgress(logger);
    const summary = await syncOnce(job, { logger, progress, deadline });
    if (summary.status === 'failed') {
      logger.error(
        { runId: summary.runId },
        'scheduled run failed, so the schedule waits for the next slot',
      );
    }
    return summary.status;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (error instanceof SyncLockedError) {
      logger.warn(
        { err: error },
        'another process holds the sync lock, so this scheduled run waits for the next slot',
      );
      return 'locked';
    }
    logger.error({ err: error }, 'scheduled run failed, so the schedule waits for the next slot');
    return 'failed';
  } finally {
    stopper.endRun();
  }
}

/** Logs one line per skipped slot, and one line counting those not listed. */
function logSkippedSlots(logger: Logger, next: NextRun, schedule: ScheduleOptions): void {
  for (const slotMs of next.skippedSlotsMs) {
    logger.warn(
      { slot: new Date(slotMs).toISOString(), everyMs: schedule.everyMs },
      'skipped a scheduled run because the previous run was still going',
    );
  }
  const unlisted = next.skippedCount - next.skippedSlotsMs.length;
  if (unlisted > 0) {
    logger.warn({ skipped: unlisted }, `skipped ${unlisted} more scheduled runs`);
  }
  if (next.late) {
    logger.warn(
      { everyMs: schedule.everyMs },
      'the previous run took longer than the interval, so the next run starts now',
    );
  }
}

/**
 * `pendo-sync sync --every <duration>`: syncs, waits for the next start and syncs again until
 * SIGINT or SIGTERM. Starts are one interval apart and never overlap (see planNextRun).
 * Returns the exit code: that of the run a signal stopped (1 if it failed), or 0 when the
 * signal came between runs. A configuration error ends the loop with ConfigError.
 */
export async function scheduledSyncCommand(
  settings: Settings,
  flags: SyncFlags,
  schedule: ScheduleOptions,
): Promise<number> {
  const targets = readSyncTargets(settings, flags);
  const maxDurationMs = readMaxDuration(flags);
  const { logger } = createOutput(flags.logLevel, settings.logLevel);
  const stopper = new ScheduleStopper(logger);
  const stopWatching = watchStopRequests(stopper.onStopRequest);

  const poolSize = targets.entities.length + targets.streams.length + 4;
  const database = await openDatabase(settings, logger, poolSize);
  try {
    const job: SyncJob = { settings, flags, ...targets, database };
    logger.info({ ...schedule, maxDurationMs }, 'schedule started');
    let slotMs = Date.now();
    // A signal that came while the database opened ends the schedule before its first run.
    for (let run = 1; !stopper.request; run++) {
      logger.info({ run, slot: new Date(slotMs).toISOString() }, 'scheduled run started');
      const outcome = await runScheduledSync(job, stopper, logger, maxDurationMs);
      if (stopper.request) return outcome === 'failed' ? 1 : 0;

      const next = planNextRun({
        previousSlotMs: slotMs,
        previousEndMs: Date.now(),
        intervalMs: schedule.everyMs,
        jitterMs: schedule.jitterMs,
        random: Math.random,
      });
      logSkippedSlots(logger, next, schedule);
      slotMs = next.slotMs;
      const waitMs = Math.max(next.startMs - Date.now(), 0);
      console.log(
        `next run at ${new Date(next.startMs).toISOString()} (in ${formatDuration(waitMs)})`,
      );
      const request = await stopper.sleepUntil(next.startMs);
      if (request) {
        logger.info(
          { signal: request.signal, reason: request.reason },
          'schedule stopped between runs',
        );
        return 0;
      }
    }
    return 0;
  } finally {
    stopWatching();
    await database.close();
  }
}
