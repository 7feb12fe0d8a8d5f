import type { Logger } from '../log';

/**
 * Pendo's clock as its responses show it: the `Date` header of the latest response plus the
 * local time elapsed since that response arrived. The header has whole seconds, so the
 * estimate runs up to one second behind Pendo.
 */
export class ServerClock {
  private dateMs: number | undefined;
  private receivedAt = 0;
  private responses = 0;
  private warned = false;

  constructor(private readonly logger: Logger) {}

  /** Records the `Date` header of a response that has just arrived. */
  observe(response: Response): void {
    this.responses += 1;
    const header = response.headers.get('date');
    const parsed = header === null ? Number.NaN : Date.parse(header);
    if (!Number.isFinite(parsed)) return;
    this.dateMs = parsed;
    this.receivedAt = performance.now();
  }

  /** True once any response arrived, with or without a `Date` header. */
  get seenResponse(): boolean {
    return this.responses > 0;
  }

  /**
   * Returns Pendo's current time in epoch milliseconds, or the local clock, with one warning,
   * when no response carried a valid `Date` header.
   */
  now(): number {
    if (this.dateMs !== undefined) {
      return this.dateMs + Math.round(performance.now() - this.receivedAt);
    }
    if (!this.warned) {
      this.warned = true;
      this.logger.warn(
        "Pendo's responses have no valid Date header, so pendo-sync uses the local clock as Pendo's time. Event windows close early if the local clock is ahead of Pendo's.",
      );
    }
    return Date.now();
  }
}
