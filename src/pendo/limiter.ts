import { ConfigError } from '../errors';

/** A cap on concurrent Pendo requests, shared by every client and stream that gets it. */
export interface Limiter {
  /** Waits for a free slot and returns the function that frees it, which is safe to call twice. */
  acquire(): Promise<() => void>;
  /** Slots in use. */
  readonly active: number;
  /** Callers waiting for a slot. */
  readonly waiting: number;
}

/** Creates a first-come, first-served limiter with `maxConcurrent` slots. */
export function createLimiter(maxConcurrent: number): Limiter {
  if (!Number.isSafeInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new ConfigError(
      `Invalid maximum of concurrent Pendo requests: ${String(maxConcurrent)}. ` +
        'Expected a positive integer.',
    );
  }
  let active = 0;
  const queue: Array<() => void> = [];

  function releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next();
      else active -= 1;
    };
  }

  return {
    acquire() {
      if (active < maxConcurrent) {
        active += 1;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve) => queue.push(() => resolve(releaser())));
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
