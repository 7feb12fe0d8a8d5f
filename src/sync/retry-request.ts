import { PendoSyncError } from '../errors';
import type { PassContext } from './context';
import { backoffDelayMs, sleep } from './sleep';

/**
 * Runs one small request that has no committed position to resume from (the newest
 * timestamp, records fetched by id) and runs it again on a retryable failure, up to
 * `maxAttempts` times in all, with backoff between attempts.
 */
export async function retryRequest<T>(
  ctx: PassContext,
  name: string,
  request: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
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
        { request: name, err: error, attempt, delayMs },
        `request failed, retry ${attempt} of ${ctx.options.maxAttempts - 1}`,
      );
      await sleep(delayMs);
    }
  }
}
