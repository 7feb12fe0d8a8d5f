/** The simulated clock: it starts at a fixed time and moves only forward, on mutations or on request. */
export class SimulatedClock {
  private current: number;

  /** @param startMs epoch milliseconds of the first reading */
  constructor(startMs: number) {
    this.current = startMs;
  }

  /** Returns the simulated time in epoch milliseconds. */
  now(): number {
    return this.current;
  }

  /** Moves the clock forward by `ms` milliseconds and returns the new time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`clock.advance needs a non-negative number of milliseconds, got ${ms}`);
    }
    this.current += Math.floor(ms);
    return this.current;
  }

  /** Moves the clock to `ms` if that is later than the current time. */
  advanceTo(ms: number): number {
    if (ms > this.current) this.current = Math.floor(ms);
    return this.current;
  }
}
