import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Values that must never reach a log line, an error message stored in the database or the
 * dashboard: the Pendo integration key and the database password. Config loading registers
 * them; `redactSecrets` replaces every occurrence.
 */
const secrets = new Set<string>();

/** Registers a secret value. Values shorter than 4 characters are ignored, since they would mask ordinary text. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

/** Replaces every registered secret (and its URL-encoded form) in `text` with `[redacted]`. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.split(form).join('[redacted]');
    }
  }
  return result;
}

/** Redacts secrets from every string inside a log object, at any depth. */
function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  // An Error's message, stack and cause are not enumerable, so copying its entries would lose them.
  if (value instanceof Error) return serializeError(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactValue(item, depth + 1);
  return out;
}

function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return redactValue(error);
  const out: Record<string, unknown> = {
    type: error.name,
    message: redactSecrets(error.message),
  };
  const withCode = error as Error & { code?: unknown; status?: unknown; retryable?: unknown };
  if (withCode.code !== undefined) out.code = withCode.code;
  if (withCode.status !== undefined) out.status = withCode.status;
  if (withCode.retryable !== undefined) out.retryable = withCode.retryable;
  if (error.cause !== undefined) out.cause = serializeError(error.cause);
  return out;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Destination of log lines: standard error by default, so standard output stays for results. */
  destination?: pino.DestinationStream;
  /** Human-readable lines instead of JSON, for terminals. */
  pretty?: boolean;
}

/** Creates the process logger: one JSON object per line, with secrets redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const pinoOptions: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError, error: serializeError },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((arg) => redactValue(arg)) as Parameters<typeof method>;
        method.apply(this, redacted);
      },
    },
    formatters: {
      log: (object) => redactValue(object) as Record<string, unknown>,
    },
  };
  if (options.pretty) {
    const transport = pino.transport({
      target: 'pino-pretty',
      options: {
        destination: 2,
        colorize: true,
        ignore: 'pid,hostname',
        translateTime: 'HH:MM:ss',
      },
    }) as pino.DestinationStream;
    return pino(pinoOptions, transport);
  }
  return pino(pinoOptions, options.destination ?? pino.destination(2));
}

/** A logger that drops everything, for library calls in tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
