import { randomUUID } from 'node:crypto';
import { acquireSyncLock } from '../db/lock';
import { failAbandonedRuns } from '../db/runs';
import type { RunStatus } from '../types';
import type { EntityResult } from './context';
import type { RunContext } from './sync-entity';
import { syncEntity } from './sync-entity';

/** Outcome of a whole run. */
export interface RunSummary {
  runId: string;
  status: RunStatus;
  results: EntityResult[];
}

/** Combines entity results: failed if any entity failed, partial if any stopped early. */
export function overallStatus(results: EntityResult[]): RunStatus {
  if (results.some((result) => result.status === 'failed')) return 'failed';
  if (results.some((result) => result.status === 'partial')) return 'partial';
  return 'completed';
}

/**
 * Runs one sync: takes the database's sync lock (a second sync exits with SyncLockedError),
 * closes runs that a killed process left open, then syncs the entities in parallel. The
 * shared limiter inside the Pendo clients bounds concurrent requests across entities.
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
    run.logger.info(
      { runId, entities: run.options.entities, full: run.options.full },
      'sync started',
    );
    const context: RunContext = { ...run, runId };
    const results = await Promise.all(
      run.options.entities.map((entity) => syncEntity(context, entity)),
    );
    const status = overallStatus(results);
    run.logger.info({ runId, status }, 'sync finished');
    return { runId, status, results };
  } finally {
    run.progress.close();
    await lock.release();
  }
}
