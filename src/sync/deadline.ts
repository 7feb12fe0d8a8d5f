/**
 * The time a run must stop by. Passes check it at batch boundaries only, so a run stops
 * after committing its current batch and never leaves one half-written.
 */
export class Deadline {
  private stopAtMs: number;
  private stopReason: string | undefined;

  constructor(maxDurationMs: number | undefined, now = Date.now()) {
    this.stopAtMs = maxDurationMs === undefined ? Number.POSITIVE_INFINITY : now + maxDurationMs;
  }

  /** Ends the run at the next batch boundary, for example on SIGINT. */
  stopNow(reason: string): void {
    this.stopAtMs = 0;
    this.stopReason = reason;
  }

  passed(now = Date.now()): boolean {
    return now >= this.stopAtMs;
  }

  /** Why the run stopped early: the time limit or a signal. */
  get reason(): string {
    return this.stopReason ?? 'the --max-duration time limit was reached';
  }
}
