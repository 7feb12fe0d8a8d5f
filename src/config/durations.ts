import { ConfigError } from '../errors';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as `25s`, `1500ms`, `10m` or `1h`; a bare number means seconds.
 * `name` is the flag or variable the value came from, so the error can name it.
 */
export function parseDuration(value: string, name: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!match?.[1]) {
    throw new ConfigError(
      `Invalid duration ${JSON.stringify(value)} for ${name}: use seconds (25) or a number with a unit: 1500ms, 25s, 10m or 1h.`,
    );
  }
  const amount = Number(match[1]);
  const ms = Math.round(amount * (UNIT_MS[match[2] ?? 's'] ?? 1000));
  if (ms <= 0) {
    throw new ConfigError(
      `Invalid duration ${JSON.stringify(value)} for ${name}: it must be more than 0.`,
    );
  }
  return ms;
}

/** Formats milliseconds for people: `850ms`, `12.3s`, `4m 05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}
