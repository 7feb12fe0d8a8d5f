/** Delays between attempts, in milliseconds. */
export interface RetryDelays {
  /** First backoff ceiling, doubled for every later retry. */
  baseMs: number;
  /** Ceiling of the exponential backoff. */
  maxMs: number;
  /** Ceiling of a server's `Retry-After`, so a bad header cannot stall a sync for hours. */
  retryAfterCapMs: number;
}

/**
 * Returns the wait before retry number `retry` (1 for the first retry) with full jitter: a
 * random value between 0 and min(maxMs, baseMs * 2^(retry-1)). Jitter spreads the retries of
 * concurrent requests that failed together.
 */
export function backoffDelayMs(
  retry: number,
  delays: RetryDelays,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(delays.maxMs, delays.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Parses `Retry-After` as delay-seconds or an HTTP date and returns milliseconds from `now`,
 * or undefined when the header is absent or invalid. A date in the past gives 0.
 */
export function parseRetryAfterMs(
  header: string | null,
  now: number = Date.now(),
): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // HTTP dates contain a month name. The check keeps Date.parse from reading "-5" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Returns the wait before a retry: the server's `Retry-After` (capped) if sent, else backoff. */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  delays: RetryDelays,
  random?: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, delays.retryAfterCapMs);
  return backoffDelayMs(retry, delays, random);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
