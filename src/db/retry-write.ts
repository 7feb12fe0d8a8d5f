import { setTimeout as sleep } from 'node:timers/promises';
import { isRetryableDatabaseError } from '../errors';
import type { Logger } from '../log';

export interface RetryWriteOptions {
  /** Attempts in total, the first one included; 6 by default. */
  maxAttempts?: number;
  /** Wait before the second attempt, in milliseconds; doubled for each further attempt. 250 by default. */
  baseDelayMs?: number;
  /** Upper bound of one wait, in milliseconds; 4,000 by default. */
  maxDelayMs?: number;
  logger?: Logger;
}

/**
 * Runs one database write, and runs it again after a retryable error (a lost connection, a
 * server that is restarting, as `isRetryableDatabaseError` decides) with an exponential
 * backoff. With the defaults it gives up about 8 seconds after the first failure. Meant for
 * the last run-log write of an entity or stream, which must outlast a database restart so
 * that the run log stores the real cause. `write` must be safe to repeat.
 */
export async function retryDatabaseWrite<T>(
  write: () => Promise<T>,
  options: RetryWriteOptions = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 4_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryableDatabaseError(error)) throw error;
      const delayMs = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      options.logger?.warn(
        { err: error, attempt, maxAttempts, delayMs },
        `run log write failed, retry ${attempt} of ${maxAttempts - 1}`,
      );
      await sleep(delayMs);
    }
  }
}
