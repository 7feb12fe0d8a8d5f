import { retryDatabaseWrite } from '../../db/retry-write';
import { finishRunEntity, formatRunError, updateRunProgress } from '../../db/runs';
import { applyRetention } from '../../db/events/retention';
import { startStreamRun } from '../../db/events/stream-runs';
import type { StreamMode } from '../../db/events/stream-runs';
import { loadWindows } from '../../db/events/windows';
import type { EventStream } from '../../events/streams';
import { EVENT_STREAM_SPECS } from '../../events/streams';
import type { RunStatus } from '../../types';
import { emptyCounts } from '../context';
import type { EventSyncOptions, StreamResult } from '../context';
import type { RunContext } from '../sync-entity';
import { startOfLocalDay } from './local-days';
import type { WindowPlan } from './plan-windows';
import { planWindows } from './plan-windows';
import type { StreamContext } from './stream-context';
import { syncWindow } from './sync-window';
import { resetOnTimeZoneChange, warnIfSinceInFuture } from './time-zone-change';

const DAY_MS = 86_400_000;

/** Returns the retention cutoff: local midnight of the day `retentionDays` before Pendo's now. */
export function retentionCutoff(events: EventSyncOptions, pendoNow: number): number | undefined {
  if (events.retentionDays === undefined) return undefined;
  return startOfLocalDay(events.timeZone, pendoNow - events.retentionDays * DAY_MS);
}

/** Progress of one stream in one run. */
interface StreamProgress {
  plan: WindowPlan | undefined;
  windowsRead: number;
  stopped: boolean;
}

async function planStream(ctx: StreamContext, pendoNow: number): Promise<WindowPlan> {
  await resetOnTimeZoneChange(ctx);
  const stored = await loadWindows(ctx.pool, ctx.spec.stream, ctx.options.appIds);
  const plan = planWindows({
    pendoNow,
    options: ctx.events,
    period: ctx.spec.period,
    stored,
    cutoff: retentionCutoff(ctx.events, pendoNow),
  });
  warnIfSinceInFuture(ctx, plan);
  return plan;
}

/**
 * Reads and commits the planned windows one by one, checking the deadline between windows.
 * The first window always runs, so a run whose setup outlasts its time limit still advances.
 */
async function readWindows(
  ctx: StreamContext,
  run: RunContext,
  plan: WindowPlan,
  progress: StreamProgress,
  reportProgress: () => Promise<void>,
): Promise<void> {
  for (const window of plan.windows) {
    if (progress.windowsRead > 0 && ctx.deadline.passed()) {
      progress.stopped = true;
      return;
    }
    const outcome = await syncWindow(ctx, window);
    progress.windowsRead += 1;
    ctx.counts.fetched += outcome.rows;
    ctx.counts.inserted += outcome.inserted;
    ctx.counts.unchanged += outcome.unchanged;
    ctx.counts.deleted += outcome.deleted;
    ctx.logger.debug(
      { window: new Date(window.start).toISOString(), ...outcome },
      'event window committed',
    );
    run.progress.advance(ctx.spec.stream, ctx.counts);
    await reportProgress();
  }
}

async function removeExpiredEvents(ctx: StreamContext, pendoNow: number): Promise<void> {
  const cutoff = retentionCutoff(ctx.events, pendoNow);
  if (cutoff === undefined) return;
  const removed = await applyRetention(ctx.pool, ctx.spec.stream, cutoff);
  if (removed.droppedPartitions.length > 0 || removed.deletedRows > 0) {
    ctx.logger.info(
      { cutoff: new Date(cutoff).toISOString(), ...removed },
      'removed events older than the retention period',
    );
  }
}

function createStreamContext(run: RunContext, stream: EventStream): StreamContext {
  const events = run.options.events;
  if (!events) throw new TypeError(`Stream ${stream} was requested without event options.`);
  const counts = emptyCounts();
  return {
    runId: run.runId,
    spec: EVENT_STREAM_SPECS[stream],
    pool: run.pool,
    pendo: run.createPendoClient(() => {
      counts.apiCalls += 1;
    }),
    logger: run.logger.child({ runId: run.runId, stream }),
    deadline: run.deadline,
    options: run.options,
    events,
    counts,
  };
}

/** Progress of one stream in one run, kept outside the try block so a failure keeps it. */
interface StreamRun extends StreamProgress {
  mode: StreamMode;
  rowId: number | undefined;
}

/** Plans the stream, opens its run-log row, reads its windows and applies retention. */
async function runStream(ctx: StreamContext, run: RunContext, state: StreamRun): Promise<void> {
  const stream = ctx.spec.stream;
  const pendoNow = await ctx.pendo.serverTime();
  const plan = await planStream(ctx, pendoNow);
  state.plan = plan;
  state.mode = plan.windows.some((window) => window.unread) ? 'backfill' : 'incremental';
  const rowId = await startStreamRun(ctx.pool, { runId: ctx.runId, stream, mode: state.mode });
  state.rowId = rowId;

  ctx.logger.info(
    { mode: state.mode, windows: plan.windows.length, since: new Date(plan.since).toISOString() },
    'stream started',
  );
  run.progress.start(stream, 'windows', state.mode, undefined);
  await readWindows(ctx, run, plan, state, () => updateRunProgress(ctx.pool, rowId, ctx.counts));
  await removeExpiredEvents(ctx, pendoNow);
}

/**
 * Syncs one event stream: plans its windows from Pendo's clock and `sync_event_windows`,
 * reads and commits them one transaction per window, then applies retention. Records the
 * outcome in `sync_status`. A failed stream is returned as a `failed` result, and only
 * errors reading or writing the run log itself are thrown.
 */
export async function syncEventStream(run: RunContext, stream: EventStream): Promise<StreamResult> {
  const ctx = createStreamContext(run, stream);
  const startedAt = Date.now();
  const state: StreamRun = {
    plan: undefined,
    windowsRead: 0,
    stopped: false,
    mode: 'incremental',
    rowId: undefined,
  };
  let status: RunStatus;
  let error: string | undefined;
  try {
    await runStream(ctx, run, state);
    status = state.stopped ? 'partial' : 'completed';
  } catch (caught) {
    status = 'failed';
    error = formatRunError(caught);
    ctx.logger.error({ err: caught }, 'stream failed');
  }

  const result: StreamResult = {
    stream,
    mode: state.mode,
    status,
    counts: ctx.counts,
    durationMs: Date.now() - startedAt,
    windowsRead: state.windowsRead,
    windowsPlanned: state.plan?.windows.length ?? 0,
    error,
    stoppedBecause: state.stopped ? run.deadline.reason : undefined,
  };
  // Retried, so that a run log write during a database restart still stores the cause.
  await retryDatabaseWrite(
    async () => {
      state.rowId ??= await startStreamRun(ctx.pool, {
        runId: ctx.runId,
        stream,
        mode: state.mode,
      });
      await finishRunEntity(ctx.pool, state.rowId, {
        status,
        counts: ctx.counts,
        error: error ?? (state.stopped ? `stopped early: ${run.deadline.reason}` : undefined),
      });
    },
    { logger: ctx.logger },
  );
  run.progress.finish(result);
  return result;
}
