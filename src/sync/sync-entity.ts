import type pg from 'pg';
import { loadSyncState } from '../db/cursors';
import type { SyncState } from '../db/cursors';
import { retryDatabaseWrite } from '../db/retry-write';
import { finishRunEntity, formatRunError, startRunEntity, updateRunProgress } from '../db/runs';
import type { Logger } from '../log';
import type { PendoClient } from '../pendo/client';
import type { Entity, RunStatus, SyncMode } from '../types';
import { emptyCounts } from './context';
import type { EntityResult, PassContext, PassOutcome, SyncOptions } from './context';
import type { Deadline } from './deadline';
import { ENTITY_SPECS } from './entities';
import type { EntitySpec } from './entities';
import { runFullPass } from './full-pass';
import { runIdPass } from './id-pass';
import { runIncrementalPass } from './incremental-pass';
import { refreshRecordsWithoutUpdateTime } from './records-without-update-time';
import type { ProgressReporter } from './progress';
import { runSnapshotPass } from './snapshot-pass';

/** Dependencies and options shared by every entity of one run. */
export interface RunContext {
  runId: string;
  pool: pg.Pool;
  logger: Logger;
  deadline: Deadline;
  options: SyncOptions;
  progress: ProgressReporter;
  /** Creates a Pendo client that calls `onRequest` once per HTTP attempt. */
  createPendoClient(onRequest: () => void): PendoClient;
}

/**
 * Picks the pass: a full pass when asked, when an earlier full pass is unfinished, or when
 * the entity has never been synced; otherwise incremental. List-only entities are always
 * read whole.
 */
export function chooseMode(spec: EntitySpec, state: SyncState, fullRequested: boolean): SyncMode {
  if (!spec.aggregationSource) return 'full';
  if (fullRequested || state.fullPass) return 'full';
  if (state.cursor === null && state.lastFullPassAt === null) return 'full';
  return 'incremental';
}

async function runPasses(
  ctx: PassContext,
  spec: EntitySpec,
  state: SyncState,
  mode: SyncMode,
): Promise<PassOutcome> {
  const source = spec.aggregationSource;
  if (!source) return runSnapshotPass(ctx, spec);
  const aggregationSpec = { ...spec, aggregationSource: source };
  if (mode === 'full') return runFullPass(ctx, aggregationSpec, state);

  const outcome = await runIncrementalPass(ctx, aggregationSpec, state.cursor);
  if (outcome.stopped) return outcome;
  if (ctx.options.detectDeletions) {
    if (ctx.deadline.passed()) return { ...outcome, stopped: true };
    ctx.progress.start(ctx.entity, 'deletions', 'incremental', undefined);
    if (await runIdPass(ctx, aggregationSpec)) return { ...outcome, stopped: true };
  }
  // Last, so a time limit that passes here leaves the deletion check of this run done.
  return { ...outcome, stopped: await refreshRecordsWithoutUpdateTime(ctx, aggregationSpec) };
}

/**
 * Syncs one entity and records the outcome in `sync_status`. A failed pass is returned as a
 * `failed` result; only errors reading or writing the run log itself are thrown.
 */
export async function syncEntity(run: RunContext, entity: Entity): Promise<EntityResult> {
  const spec = ENTITY_SPECS[entity];
  const state = await loadSyncState(run.pool, entity);
  const mode = chooseMode(spec, state, run.options.full);
  const counts = emptyCounts();
  const logger = run.logger.child({ runId: run.runId, entity });
  const rowId = await startRunEntity(run.pool, { runId: run.runId, entity, mode });
  const startedAt = Date.now();
  const ctx: PassContext = {
    runId: run.runId,
    entity,
    pool: run.pool,
    pendo: run.createPendoClient(() => {
      counts.apiCalls += 1;
    }),
    logger,
    deadline: run.deadline,
    options: run.options,
    counts,
    progress: run.progress,
    reportProgress: () => updateRunProgress(run.pool, rowId, counts),
  };
  logger.info({ mode }, 'entity started');

  let status: RunStatus;
  let error: string | undefined;
  let outcome: PassOutcome = { stopped: false, cursor: state.cursor };
  try {
    outcome = await runPasses(ctx, spec, state, mode);
    status = outcome.stopped ? 'partial' : 'completed';
  } catch (caught) {
    status = 'failed';
    error = formatRunError(caught);
    logger.error({ err: caught }, 'entity failed');
  }
  const result: EntityResult = {
    entity,
    mode,
    status,
    counts,
    durationMs: Date.now() - startedAt,
    cursor: outcome.cursor,
    error,
    stoppedBecause: outcome.stopped ? run.deadline.reason : undefined,
  };
  // Retried, so that a run log write during a database restart still stores the cause.
  await retryDatabaseWrite(
    () =>
      finishRunEntity(run.pool, rowId, {
        status,
        counts,
        error: error ?? (outcome.stopped ? `stopped early: ${run.deadline.reason}` : undefined),
        cursor: outcome.cursor,
      }),
    { logger },
  );
  run.progress.finish(result);
  return result;
}
