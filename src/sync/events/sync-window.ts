import { dropEventStage } from '../../db/events/stage-rows';
import type { WindowWriteCounts } from '../../db/events/replace-window';
import { commitWindow } from '../../db/events/write-window';
import { watchClient } from '../../db/watch-client';
import type { EventPeriod } from '../../events/streams';
import { PendoSyncError, isRetryableDatabaseError } from '../../errors';
import { backoffDelayMs, sleep } from '../sleep';
import type { EventWindow } from './plan-windows';
import { isFinalWindow } from './plan-windows';
import { stageWindow } from './read-window';
import type { StreamContext } from './stream-context';

/** Outcome of reading and committing one window. */
export interface WindowOutcome extends WindowWriteCounts {
  /** Rows Pendo returned, duplicates included. */
  rows: number;
  final: boolean;
  period: EventPeriod;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof PendoSyncError) return error.retryable;
  return isRetryableDatabaseError(error);
}

/** True when the connection cannot be reused: a lost connection rather than a failed statement. */
function isBrokenConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '40001' || code === '40P01') return false;
  return !(error instanceof PendoSyncError) && isRetryableDatabaseError(error);
}

/**
 * Reads one window into a staging table and commits it, on one connection. The window is
 * final when its lookback has passed by Pendo's clock just before the first request.
 *
 * NOTE: the connection is held while Pendo's responses stream in, so a run needs a pool with
 * one connection per stream on top of what the entities use.
 */
async function syncWindowOnce(ctx: StreamContext, window: EventWindow): Promise<WindowOutcome> {
  const pendoTime = await ctx.pendo.serverTime();
  const final = isFinalWindow(window, pendoTime - ctx.events.lagMs, ctx.events.lookbackMs);
  const client = await ctx.pool.connect();
  // The client waits idle while Pendo's next response is requested, and a connection lost
  // then emits 'error', which must not crash the process.
  const watched = watchClient(client);
  let broken = false;
  try {
    const staged = await stageWindow(ctx, client, window);
    const counts = await commitWindow(client, {
      runId: ctx.runId,
      stream: ctx.spec.stream,
      appIds: ctx.options.appIds,
      timeZone: ctx.events.timeZone,
      window: { ...window, period: staged.period, rows: staged.rows, final, pendoTime },
    });
    return { ...counts, rows: staged.rows, final, period: staged.period };
  } catch (error) {
    broken = isBrokenConnection(error) || watched.lostError !== undefined;
    throw watched.explain(error);
  } finally {
    if (!broken) {
      await dropEventStage(client).catch(() => {
        broken = true;
      });
    }
    watched.release(broken);
  }
}

/**
 * Syncs one window, reading it again from the start after a retryable failure (a network
 * error, a 5xx that outlasted the client's retries, a broken body, a lost database
 * connection), up to `maxAttempts` attempts. Timeouts never reach here: the reader splits them.
 */
export async function syncWindow(ctx: StreamContext, window: EventWindow): Promise<WindowOutcome> {
  for (let failures = 1; ; failures++) {
    try {
      return await syncWindowOnce(ctx, window);
    } catch (error) {
      if (!isRetryable(error) || failures >= ctx.options.maxAttempts) throw error;
      const delayMs = backoffDelayMs(failures);
      ctx.logger.warn(
        { window: new Date(window.start).toISOString(), err: error, attempt: failures, delayMs },
        `window failed, retry ${failures} of ${ctx.options.maxAttempts - 1} from its start`,
      );
      await sleep(delayMs);
    }
  }
}
