import { PendoSyncError } from '../errors';
import type { PendoRecord } from '../types';
import type { PassContext } from './context';
import { rebatch } from './rebatch';
import { backoffDelayMs, sleep } from './sleep';

/**
 * Reads a response that cannot be resumed part-way (a list endpoint, an id-only
 * aggregation) in batches. A retryable failure restarts it from the beginning, which is
 * safe because every batch handler is idempotent. Returns true when the deadline stopped it.
 *
 * NOTE: a stopped pass starts again from the beginning on the next run, so a list or id pass
 * that takes longer than --max-duration never completes under that limit.
 */
export async function readWholeStream(
  ctx: PassContext,
  pass: string,
  open: () => AsyncIterable<PendoRecord[]>,
  batchSize: number,
  onBatch: (batch: PendoRecord[]) => Promise<void>,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      let handled = 0;
      for await (const batch of rebatch(open(), batchSize)) {
        // Checked before each batch after the first, so a response read to its end completes.
        if (handled > 0 && ctx.deadline.passed()) return true;
        await onBatch(batch);
        handled += 1;
      }
      return false;
    } catch (error) {
      if (
        !(error instanceof PendoSyncError) ||
        !error.retryable ||
        attempt >= ctx.options.maxAttempts
      ) {
        throw error;
      }
      const delayMs = backoffDelayMs(attempt);
      ctx.logger.warn(
        { pass, err: error, attempt, delayMs },
        `response failed, retry ${attempt} of ${ctx.options.maxAttempts - 1} from the start`,
      );
      await sleep(delayMs);
    }
  }
}
