import { ConfigError } from '../errors';
import type { Logger } from '../log';
import { registerSecret } from '../log';
import type { Limiter } from './limiter';
import { normalizeBaseUrl } from './regions';
import type { RequestAttemptInfo, Transport } from './request';

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_ATTEMPTS = 6;
export const DEFAULT_RETRY_BASE_MS = 1_000;
export const DEFAULT_RETRY_MAX_MS = 30_000;
export const DEFAULT_RETRY_AFTER_CAP_MS = 120_000;

/** Options of createPendoClient. Durations are in milliseconds. */
export interface PendoClientOptions {
  /** Pendo integration key, sent only in the `x-pendo-integration-key` header. */
  apiKey: string;
  /** Region host or override, for example from resolveBaseUrl. A trailing `/api/v1` is dropped. */
  baseUrl: string;
  // NOTE: the global fetch (undici) has its own header and body timeouts of 300 s, so values
  // above 300000 for the next two options end a request at 300 s as a retryable network error.
  /** Maximum wait for response headers (default 60000). */
  timeoutMs?: number;
  /** Maximum gap between two chunks of a response body (default 60000). */
  bodyIdleTimeoutMs?: number;
  /** Attempts per request, the first included (default 6). */
  maxAttempts?: number;
  /** Backoff ceiling of the first retry, doubled for every later retry (default 1000). */
  retryBaseMs?: number;
  /** Maximum backoff (default 30000). */
  retryMaxMs?: number;
  /** Maximum wait that a `Retry-After` header can impose (default 120000). */
  retryAfterCapMs?: number;
  /** Shared cap on concurrent requests. A request keeps its slot until its body is read. */
  limiter?: Limiter;
  logger: Logger;
  /** Called once per HTTP attempt, e.g. to count API calls. */
  onRequest?: (info: RequestAttemptInfo) => void;
  /** Replaces the global fetch, for tests. */
  fetchImpl?: typeof fetch;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < 1) {
    throw new ConfigError(
      `Invalid Pendo client option ${name}: ${String(value)}. Expected a positive integer.`,
    );
  }
  return result;
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < 0) {
    throw new ConfigError(
      `Invalid Pendo client option ${name}: ${String(value)}. Expected an integer of 0 or more.`,
    );
  }
  return result;
}

/** Validates the options, fills in defaults and registers the key for redaction. */
export function resolveTransport(options: PendoClientOptions): Transport & { baseUrl: string } {
  const apiKey = options.apiKey.trim();
  if (!apiKey) throw new ConfigError('PENDO_API_KEY is empty. Set it to a Pendo integration key.');
  registerSecret(apiKey);
  return {
    apiKey,
    baseUrl: normalizeBaseUrl(options.baseUrl),
    fetchImpl: options.fetchImpl ?? fetch,
    headersTimeoutMs: positiveInteger('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS),
    bodyIdleTimeoutMs: positiveInteger(
      'bodyIdleTimeoutMs',
      options.bodyIdleTimeoutMs,
      DEFAULT_BODY_IDLE_TIMEOUT_MS,
    ),
    maxAttempts: positiveInteger('maxAttempts', options.maxAttempts, DEFAULT_MAX_ATTEMPTS),
    delays: {
      baseMs: nonNegativeInteger('retryBaseMs', options.retryBaseMs, DEFAULT_RETRY_BASE_MS),
      maxMs: nonNegativeInteger('retryMaxMs', options.retryMaxMs, DEFAULT_RETRY_MAX_MS),
      retryAfterCapMs: nonNegativeInteger(
        'retryAfterCapMs',
        options.retryAfterCapMs,
        DEFAULT_RETRY_AFTER_CAP_MS,
      ),
    },
    logger: options.logger,
    onRequest: options.onRequest,
  };
}
