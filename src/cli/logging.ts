import { createLogger } from '../log';
import type { LogLevel, Logger } from '../log';
import { LogProgress, TerminalProgress } from '../sync/progress';
import type { ProgressReporter } from '../sync/progress';

/**
 * On a terminal: a live progress display and readable log lines (warnings and errors unless
 * --log-level requests more). Elsewhere: one JSON log line per event.
 */
export function createOutput(
  level: LogLevel | undefined,
  envLevel: LogLevel,
): { logger: Logger; progress: ProgressReporter } {
  const interactive = Boolean(process.stderr.isTTY) && process.env.CI === undefined;
  if (interactive) {
    const logger = createLogger({ level: level ?? 'warn', pretty: true });
    return { logger, progress: new TerminalProgress(process.stderr) };
  }
  const logger = createLogger({ level: level ?? envLevel });
  return { logger, progress: new LogProgress(logger) };
}

/**
 * Creates a fresh progress reporter for one more run of a long-running command: the live
 * display on a terminal (as createOutput decides), JSON lines through `logger` elsewhere.
 */
export function createProgress(logger: Logger): ProgressReporter {
  const interactive = Boolean(process.stderr.isTTY) && process.env.CI === undefined;
  return interactive ? new TerminalProgress(process.stderr) : new LogProgress(logger);
}
