import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { isRetryableDatabaseError } from '../errors';
import type { Logger } from '../log';

export interface TransactionOptions {
  /** Attempts in total, the first one included; 3 by default. */
  maxAttempts?: number;
  /** Backoff before the second attempt, in milliseconds; doubled for each further attempt. 200 by default. */
  baseDelayMs?: number;
  /** Upper bound of one backoff, in milliseconds; 5,000 by default. */
  maxDelayMs?: number;
  logger?: Logger;
}

/**
 * True when the connection itself is unusable, so it must be destroyed instead of reused:
 * every retryable error except the two that leave the connection healthy.
 */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '40001' || code === '40P01') return false;
  return isRetryableDatabaseError(error);
}

/** Runs `fn` between BEGIN and COMMIT on one client, rolling back on any error. */
async function runOnce<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // A connection that fails between two statements (the server restarted, or the session was
  // terminated) emits 'error' on the client, which crashes the process when nothing listens.
  // The next statement on the client then fails, so the error only needs to be noted here.
  const onError = (): void => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    broken = broken || isConnectionError(error);
    if (!broken) {
      await client.query('rollback').catch(() => {
        broken = true;
      });
    }
    throw error;
  } finally {
    client.off('error', onError);
    // A truthy argument makes the pool close the connection instead of reusing it.
    client.release(broken);
  }
}

/**
 * Runs `fn` in a transaction on a client of `pool`: BEGIN, `fn`, COMMIT, or ROLLBACK when
 * anything throws. Retryable errors (serialization failure, deadlock, lost connection, as
 * `isRetryableDatabaseError` decides) run the whole of `fn` again in a new transaction after
 * an exponential backoff with jitter. So `fn` must be safe to repeat.
 *
 * NOTE: when the connection drops during COMMIT, the transaction may have committed before
 * the retry runs `fn` again.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(pool, fn);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryableDatabaseError(error)) throw error;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      options.logger?.warn(
        { err: error, attempt, maxAttempts, delayMs },
        `database transaction failed, retry ${attempt} of ${maxAttempts - 1}`,
      );
      await sleep(delayMs);
    }
  }
}
