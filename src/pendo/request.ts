import type { PendoApiError } from '../errors';
import type { Logger } from '../log';
import { readSnippet } from './body';
import { attemptsExhaustedError, connectError, statusError } from './http-errors';
import { parseRetryAfterMs, retryDelayMs, sleep } from './retry';
import type { RetryDelays } from './retry';

/** One logical Pendo request. None of its fields contains the integration key. */
export interface PendoRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/api/v1/guide?expand=*`. */
  path: string;
  /** Base URL plus path. */
  url: string;
  /** JSON request body, for POST. */
  body?: string;
  /**
   * False to throw a timed-out attempt (408, 504, header timeout) at once instead of retrying
   * it, for callers that split a slow request into smaller ones. Retried when omitted.
   */
  retryTimeouts?: boolean;
}

/** One HTTP attempt, as reported to `onRequest`. */
export interface RequestAttemptInfo {
  method: string;
  path: string;
  /** HTTP status, or undefined when no response arrived (network error or timeout). */
  status: number | undefined;
  /** Time from sending the request to its response headers or failure. */
  durationMs: number;
  /** 1 for the first attempt. */
  attempt: number;
}

/** Settings that the retry loop takes from the client's options. */
export interface Transport {
  apiKey: string;
  fetchImpl: typeof fetch;
  headersTimeoutMs: number;
  bodyIdleTimeoutMs: number;
  maxAttempts: number;
  delays: RetryDelays;
  logger: Logger;
  onRequest?: (info: RequestAttemptInfo) => void;
  /** Called with every response as soon as its headers arrive, e.g. to read its `Date`. */
  onResponse?: (response: Response) => void;
}

/** A 2xx response whose body has not been read yet. */
export interface OpenResponse {
  response: Response;
  /** Aborts the request. It does nothing once the body has been read. */
  abort: () => void;
}

type AttemptOutcome = OpenResponse | { error: PendoApiError };

function requestHeaders(transport: Transport): Record<string, string> {
  return {
    'x-pendo-integration-key': transport.apiKey,
    'content-type': 'application/json',
    accept: 'application/json',
    'accept-encoding': 'gzip',
    'user-agent': 'pendo-sync',
  };
}

function reportAttempt(
  transport: Transport,
  request: PendoRequest,
  info: Omit<RequestAttemptInfo, 'method' | 'path'>,
): void {
  const full = { method: request.method, path: request.path, ...info };
  transport.logger.debug(full, 'Pendo request');
  try {
    transport.onRequest?.(full);
  } catch (error) {
    transport.logger.warn({ err: error }, 'The onRequest callback of the Pendo client failed');
  }
}

async function failedResponseError(
  transport: Transport,
  request: PendoRequest,
  open: OpenResponse,
): Promise<PendoApiError> {
  const { response } = open;
  const body = await readSnippet(response, {
    request,
    idleTimeoutMs: transport.bodyIdleTimeoutMs,
    abort: open.abort,
  });
  open.abort();
  return statusError(request, {
    status: response.status,
    statusText: response.statusText,
    body,
    retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
    location: response.headers.get('location'),
  });
}

async function sendOnce(
  transport: Transport,
  request: PendoRequest,
  attempt: number,
): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, transport.headersTimeoutMs);
  const started = performance.now();
  let response: Response;
  try {
    response = await transport.fetchImpl(request.url, {
      method: request.method,
      headers: requestHeaders(transport),
      body: request.body,
      signal: controller.signal,
      // A followed redirect would send the key header to whatever host the redirect names.
      redirect: 'manual',
    });
  } catch (cause) {
    reportAttempt(transport, request, { status: undefined, durationMs: elapsed(started), attempt });
    return {
      error: connectError(request, cause, timedOut ? transport.headersTimeoutMs : undefined),
    };
  } finally {
    clearTimeout(timer);
  }
  reportAttempt(transport, request, {
    status: response.status,
    durationMs: elapsed(started),
    attempt,
  });
  transport.onResponse?.(response);
  const open = { response, abort: () => controller.abort() };
  if (response.status >= 200 && response.status < 300) return open;
  return { error: await failedResponseError(transport, request, open) };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function logRetry(
  transport: Transport,
  request: PendoRequest,
  retry: number,
  delayMs: number,
  error: PendoApiError,
): void {
  const retries = transport.maxAttempts - 1;
  transport.logger.warn(
    { method: request.method, path: request.path, status: error.status, delayMs, err: error },
    `retry ${retry} of ${retries}: ${request.method} ${request.path}`,
  );
}

/**
 * Sends a request until a 2xx response arrives, retrying 408, 429, 5xx, network errors and
 * header timeouts with exponential backoff (or the server's `Retry-After`). Other statuses
 * throw at once. Returns before the body is read, so the caller handles body failures.
 */
export async function sendWithRetry(
  transport: Transport,
  request: PendoRequest,
): Promise<OpenResponse> {
  let last: PendoApiError | undefined;
  for (let attempt = 1; attempt <= transport.maxAttempts; attempt++) {
    const outcome = await sendOnce(transport, request, attempt);
    if ('response' in outcome) return outcome;
    last = outcome.error;
    if (!last.retryable) throw last;
    if (last.timedOut && request.retryTimeouts === false) throw last;
    if (attempt === transport.maxAttempts) break;
    const delayMs = retryDelayMs(attempt, last.retryAfterMs, transport.delays);
    logRetry(transport, request, attempt, delayMs, last);
    await sleep(delayMs);
  }
  // The loop runs at least once because maxAttempts is validated to be 1 or more.
  throw attemptsExhaustedError(request, transport.maxAttempts, last as PendoApiError);
}
