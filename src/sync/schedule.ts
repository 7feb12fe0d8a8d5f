/**
 * Start times of `sync --every`. Runs never overlap: the next run starts one interval after
 * the planned start of the previous one, or as soon as the previous run ends if that is later.
 */

/** Skipped slots listed one by one; more are only counted, so a long stall logs a few lines. */
export const MAX_LISTED_SKIPPED_SLOTS = 10;

/** Input of planNextRun; every time is in epoch milliseconds. */
export interface NextRunInput {
  /** Planned start of the previous run, before jitter. */
  previousSlotMs: number;
  /** When the previous run ended. */
  previousEndMs: number;
  /** Time from one planned start to the next. */
  intervalMs: number;
  /** Maximum random delay added to an on-time start; 0 for none. */
  jitterMs: number;
  /** Source of randomness in [0, 1), such as Math.random. */
  random: () => number;
}

/** Start of the next run and the slots that passed while the previous run was still going. */
export interface NextRun {
  /** Planned start of the next run, from which the following slot is counted. */
  slotMs: number;
  /** When the next run starts: the slot plus jitter, or the end of an overrunning run. */
  startMs: number;
  /** True when the previous run overran the interval, so the next one starts at once. */
  late: boolean;
  /** Slots that passed during the previous run and that no run takes, earliest first. */
  skippedSlotsMs: number[];
  /** Number of skipped slots; `skippedSlotsMs` lists at most MAX_LISTED_SKIPPED_SLOTS. */
  skippedCount: number;
}

/**
 * Plans the run after one that ended at `previousEndMs`. On time, the next run starts at the
 * following slot plus a random jitter. After an overrun it starts right away, in place of
 * the latest slot that passed, and every earlier slot that passed is skipped. The interval then
 * counts from that late start, so two runs never start closer than one interval unless the
 * first overran.
 */
export function planNextRun(input: NextRunInput): NextRun {
  const { previousSlotMs, previousEndMs, intervalMs, jitterMs } = input;
  if (!(intervalMs > 0)) throw new RangeError(`intervalMs must be positive, got ${intervalMs}`);
  const dueMs = previousSlotMs + intervalMs;
  if (previousEndMs <= dueMs) {
    const jitter = jitterMs > 0 ? Math.floor(input.random() * jitterMs) : 0;
    return {
      slotMs: dueMs,
      startMs: dueMs + jitter,
      late: false,
      skippedSlotsMs: [],
      skippedCount: 0,
    };
  }
  // Slots k = 1..passed start before the previous run ended; the late run takes slot `passed`.
  const passed = Math.ceil((previousEndMs - previousSlotMs) / intervalMs) - 1;
  const skippedCount = passed - 1;
  const listed = Math.min(skippedCount, MAX_LISTED_SKIPPED_SLOTS);
  const skippedSlotsMs = Array.from(
    { length: listed },
    (_, index) => previousSlotMs + (index + 1) * intervalMs,
  );
  return {
    slotMs: previousEndMs,
    startMs: previousEndMs,
    late: true,
    skippedSlotsMs,
    skippedCount,
  };
}
