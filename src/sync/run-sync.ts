import { randomUUID } from 'node:crypto';
import { acquireSyncLock } from '../db/lock';
import { failAbandonedRuns } from '../db/runs';
import { updateGuideCompletions } from '../db/rollups/guide-steps';
import type { Logger } from '../log';
import type { RunStatus } from '../types';
import type { EntityResult, StreamResult } from './context';
import { syncEventStream } from './events/sync-stream';
import type { RunContext } from './sync-entity';
import { syncEntity } from './sync-entity';

/** Outcome of a whole run. */
export interface RunSummary {
  runId: string;
  status: RunStatus;
  results: EntityResult[];
  /** One result per event stream of `options.events.streams`; empty when none were requested. */
  streams: StreamResult[];
}

/**
 * Combines entity and stream results: failed if any failed, partial if any stopped early.
 */
export function overallStatus(results: readonly (EntityResult | StreamResult)[]): RunStatus {
  if (results.some((result) => result.status === 'failed')) return 'failed';
  if (results.some((result) => result.status === 'partial')) return 'partial';
  return 'completed';
}

/**
 * Throws the first rejection of `outcomes`, once all have settled: a run log write that
 * failed even after its retries. Further rejections are only logged.
 */
function throwFirstRejection(outcomes: PromiseSettledResult<unknown>[], logger: Logger): void {
  const rejected = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
  );
  for (const reason of rejected.slice(1)) {
    logger.error({ err: reason }, 'failed to record the outcome of an entity or stream');
  }
  if (rejected.length > 0) throw rejected[0];
}

function fulfilledValues<T>(outcomes: PromiseSettledResult<T>[]): T[] {
  return outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
}

/**
 * Runs one sync: takes the database's sync lock (a second sync exits with SyncLockedError),
 * closes runs that a killed process left open, then syncs the entities and the event streams
 * in parallel. The shared limiter inside the Pendo clients bounds concurrent requests.
 */
export async function runSync(run: Omit<RunContext, 'runId'>): Promise<RunSummary> {
  const lock = await acquireSyncLock(run.pool, {
    // Without the lock another sync may start, so this one stops at its next batch boundary.
    onLost: (error) => {
      run.logger.error({ err: error }, 'lost the sync lock');
      run.deadline.stopNow('the connection holding the sync lock was lost');
    },
  });
  try {
    const abandoned = await failAbandonedRuns(run.pool);
    if (abandoned > 0) run.logger.warn({ abandoned }, 'marked runs of an ended process as failed');
    const runId = randomUUID();
    const streamNames = run.options.events?.streams ?? [];
    run.logger.info(
      { runId, entities: run.options.entities, streams: streamNames, full: run.options.full },
      'sync started',
    );
    const context: RunContext = { ...run, runId };
    // Every entity and stream runs to its end even when another one throws, so that none
    // is cut off mid-pass by the pool closing and each row of the run log gets its outcome.
    const [entityOutcomes, streamOutcomes] = await Promise.all([
      Promise.allSettled(run.options.entities.map((entity) => syncEntity(context, entity))),
      Promise.allSettled(streamNames.map((stream) => syncEventStream(context, stream))),
    ]);
    throwFirstRejection([...entityOutcomes, ...streamOutcomes], run.logger);
    const results = fulfilledValues(entityOutcomes);
    const streams = fulfilledValues(streamOutcomes);
    // Guide event windows committed before the guides catalog count no completions.
    if (run.options.entities.includes('guides')) {
      await updateGuideCompletions(run.pool).catch((error: unknown) => {
        run.logger.error({ err: error, runId }, 'failed to update the guide completion rollups');
      });
    }
    const status = overallStatus([...results, ...streams]);
    run.logger.info({ runId, status }, 'sync finished');
    return { runId, status, results, streams };
  } finally {
    run.progress.close();
    await lock.release();
  }
}
