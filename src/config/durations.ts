import { ConfigError } from '../errors';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR_MS, d: DAY_MS };

const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/;

/** Options of parseDuration. */
export interface DurationOptions {
  /** Accept `0` (false by default, so `0s` is rejected). */
  allowZero?: boolean;
}

/** Checks whether `value` has the form of a duration, such as `30d` or a bare `25`, valid or not. */
export function isDurationText(value: string): boolean {
  return DURATION_PATTERN.test(value);
}

/**
 * Parses a duration such as `25s`, `1500ms`, `10m`, `1h` or `3d`. A number needs its unit,
 * because a bare `3` could mean seconds, hours or days; only a bare `0` is accepted, where
 * `allowZero` permits zero. `name` is the flag or variable the value came from, so the error
 * can name it.
 */
export function parseDuration(value: string, name: string, options: DurationOptions = {}): number {
  const match = DURATION_PATTERN.exec(value);
  if (!match?.[1]) {
    throw new ConfigError(
      `Invalid duration ${JSON.stringify(value)} for ${name}: use a number with a unit: 1500ms, 25s, 10m, 1h or 3d.`,
    );
  }
  const amount = Number(match[1]);
  if (match[2] === undefined && amount !== 0) {
    const number = match[1];
    throw new ConfigError(
      `Invalid duration ${JSON.stringify(value)} for ${name}: a number needs a unit, for example ${number}s, ${number}m, ${number}h or ${number}d.`,
    );
  }
  const ms = Math.round(amount * (UNIT_MS[match[2] ?? 'ms'] ?? 1));
  if (!Number.isSafeInteger(ms)) {
    throw new ConfigError(
      `Invalid duration ${JSON.stringify(value)} for ${name}: it is too large.`,
    );
  }
  if (ms === 0 && !options.allowZero) {
    throw new ConfigError(
      `Invalid duration ${JSON.stringify(value)} for ${name}: it must be more than 0.`,
    );
  }
  return ms;
}

/** Formats milliseconds for people: `850ms`, `12.3s`, `4m 05s`, `3h 07m`, `2d 05h`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < HOUR_MS) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.floor((ms % 60_000) / 1000);
    return `${minutes}m ${pad(seconds)}s`;
  }
  if (ms < DAY_MS) {
    const hours = Math.floor(ms / HOUR_MS);
    return `${hours}h ${pad(Math.floor((ms % HOUR_MS) / 60_000))}m`;
  }
  const days = Math.floor(ms / DAY_MS);
  return `${days}d ${pad(Math.floor((ms % DAY_MS) / HOUR_MS))}h`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
