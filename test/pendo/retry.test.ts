import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs, retryDelayMs } from '../../src/pendo/retry';

const DELAYS = { baseMs: 1000, maxMs: 30_000, retryAfterCapMs: 120_000 };

describe('backoffDelayMs', () => {
  it('doubles the ceiling per retry', () => {
    const top = () => 0.999999;
    expect(backoffDelayMs(1, DELAYS, top)).toBe(999);
    expect(backoffDelayMs(2, DELAYS, top)).toBe(1999);
    expect(backoffDelayMs(4, DELAYS, top)).toBe(7999);
  });

  it('caps the ceiling', () => {
    expect(backoffDelayMs(20, DELAYS, () => 0.999999)).toBe(29_999);
  });

  it('can wait zero', () => {
    expect(backoffDelayMs(3, DELAYS, () => 0)).toBe(0);
  });

  it('spreads delays with jitter', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(5, DELAYS)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeLessThan(16_000);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads seconds', () => {
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('1.5', now)).toBe(1500);
  });

  it('reads an HTTP date', () => {
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 12:00:10 GMT', now)).toBe(10_000);
  });

  it('treats a past date as zero', () => {
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
  });

  it.each([null, '', 'soon', '-5'])('ignores %j', (header) => {
    expect(parseRetryAfterMs(header, now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('prefers Retry-After', () => {
    expect(retryDelayMs(1, 4000, DELAYS, () => 0)).toBe(4000);
  });

  it('caps Retry-After', () => {
    expect(retryDelayMs(1, 10_000_000, DELAYS)).toBe(120_000);
  });

  it('falls back to backoff', () => {
    expect(retryDelayMs(2, undefined, DELAYS, () => 0.5)).toBe(1000);
  });
});
