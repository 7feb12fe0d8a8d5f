/**
 * Typed errors. `retryable` is decided in one place for HTTP (`isRetryableStatus`) and for
 * PostgreSQL (`isRetryableDatabaseError`), so callers never guess from messages.
 */

export class PendoSyncError extends Error {
  readonly retryable: boolean;

  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
}

/** Invalid or missing configuration; the message names the variable or flag and the fix. */
export class ConfigError extends PendoSyncError {}

/** A failed Pendo API call. `url` never contains the integration key. */
export class PendoApiError extends PendoSyncError {
  readonly status: number | undefined;
  readonly url: string;
  /** Milliseconds the server requested us to wait (from `Retry-After`), when it sent one. */
  readonly retryAfterMs: number | undefined;
  /**
   * True when the request ran out of time: HTTP 408 or 504, no response headers in time, or a
   * stalled body. A smaller request may succeed where a retry of the same one would not.
   */
  readonly timedOut: boolean;

  constructor(
    message: string,
    details: {
      status?: number;
      url: string;
      retryable: boolean;
      retryAfterMs?: number;
      timedOut?: boolean;
      cause?: unknown;
    },
  ) {
    super(message, { retryable: details.retryable, cause: details.cause });
    this.status = details.status;
    this.url = details.url;
    this.retryAfterMs = details.retryAfterMs;
    this.timedOut = details.timedOut ?? false;
  }
}

/** A Pendo response that is not what the API documents (bad JSON, wrong shape). */
export class PendoResponseError extends PendoSyncError {}

/** Another sync holds the database's advisory lock. */
export class SyncLockedError extends PendoSyncError {}

/** HTTP statuses worth retrying: rate limits, request timeouts and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Node network error codes worth retrying. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** SQLSTATE codes after which the same transaction may succeed when tried again. */
const RETRYABLE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** True for network failures (reset, refused, timed out) at any depth of the `cause` chain. */
export function isRetryableNetworkError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = errorCode(current);
    if (code && RETRYABLE_NETWORK_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** True for PostgreSQL errors that a new transaction may not hit again. */
export function isRetryableDatabaseError(error: unknown): boolean {
  const code = errorCode(error);
  if (code && RETRYABLE_SQLSTATES.has(code)) return true;
  if (isRetryableNetworkError(error)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection is closed|Client has encountered a connection error/i.test(
    message,
  );
}
