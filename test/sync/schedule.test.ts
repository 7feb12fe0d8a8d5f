import { describe, expect, it } from 'vitest';
import { MAX_LISTED_SKIPPED_SLOTS, planNextRun } from '../../src/sync/schedule';
import type { NextRunInput } from '../../src/sync/schedule';

const INTERVAL = 10_000;

function plan(overrides: Partial<NextRunInput>): ReturnType<typeof planNextRun> {
  return planNextRun({
    previousSlotMs: 0,
    previousEndMs: 2_000,
    intervalMs: INTERVAL,
    jitterMs: 0,
    random: () => 0.5,
    ...overrides,
  });
}

describe('planNextRun', () => {
  it('counts start to start', () => {
    const next = plan({ previousSlotMs: 50_000, previousEndMs: 53_000 });
    expect(next.slotMs).toBe(60_000);
    expect(next.startMs).toBe(60_000);
    expect(next.late).toBe(false);
    expect(next.skippedCount).toBe(0);
  });

  it('starts on time at the boundary', () => {
    const next = plan({ previousEndMs: INTERVAL });
    expect(next.startMs).toBe(INTERVAL);
    expect(next.late).toBe(false);
  });

  it('adds jitter within the bound', () => {
    const next = plan({ jitterMs: 1_000, random: () => 0.25 });
    expect(next.slotMs).toBe(INTERVAL);
    expect(next.startMs).toBe(INTERVAL + 250);
  });

  it('keeps jitter out of the next slot', () => {
    const first = plan({ jitterMs: 1_000, random: () => 0.999 });
    const second = plan({
      previousSlotMs: first.slotMs,
      previousEndMs: first.startMs + 500,
      jitterMs: 1_000,
      random: () => 0,
    });
    expect(second.startMs).toBe(2 * INTERVAL);
  });

  it('starts at once after a short overrun', () => {
    const next = plan({ previousEndMs: 15_000 });
    expect(next.startMs).toBe(15_000);
    expect(next.slotMs).toBe(15_000);
    expect(next.late).toBe(true);
    expect(next.skippedCount).toBe(0);
    expect(next.skippedSlotsMs).toEqual([]);
  });

  it('ignores jitter after an overrun', () => {
    const next = plan({ previousEndMs: 15_000, jitterMs: 5_000, random: () => 0.9 });
    expect(next.startMs).toBe(15_000);
  });

  it('skips all but the latest missed slot', () => {
    const next = plan({ previousEndMs: 35_000 });
    expect(next.startMs).toBe(35_000);
    expect(next.skippedSlotsMs).toEqual([10_000, 20_000]);
    expect(next.skippedCount).toBe(2);
  });

  it('counts the interval from a late start', () => {
    const late = plan({ previousEndMs: 35_000 });
    const next = plan({ previousSlotMs: late.slotMs, previousEndMs: 37_000 });
    expect(next.startMs).toBe(45_000);
    expect(next.skippedCount).toBe(0);
  });

  it('lists few slots of a long stall', () => {
    const next = plan({ previousEndMs: 1_000 * INTERVAL + 1 });
    expect(next.skippedCount).toBe(999);
    expect(next.skippedSlotsMs).toHaveLength(MAX_LISTED_SKIPPED_SLOTS);
    expect(next.skippedSlotsMs[0]).toBe(INTERVAL);
  });

  it('rejects a zero interval', () => {
    expect(() => plan({ intervalMs: 0 })).toThrow(RangeError);
  });
});
