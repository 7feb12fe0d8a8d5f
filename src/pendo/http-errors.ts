import { inspect } from 'node:util';
import { PendoApiError, isRetryableNetworkError, isRetryableStatus } from '../errors';
import { redactSecrets } from '../log';
import type { PendoRequest } from './request';

/** Maximum length, in characters, of a body excerpt in a message. */
export const MAX_SNIPPET_CHARS = 300;

/** Collapses whitespace and cuts `text` to `max` characters, so bodies stay readable in logs. */
export function truncateText(text: string, max: number = MAX_SNIPPET_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Names a request as `METHOD URL`, with secrets redacted. */
export function describeRequest(request: PendoRequest): string {
  return redactSecrets(`${request.method} ${request.url}`);
}

/** Joins the messages of an error's `cause` chain, e.g. `fetch failed: connect ECONNREFUSED`. */
export function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    const message = current instanceof Error ? current.message : inspect(current);
    if (message && !parts.includes(message)) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return redactSecrets(parts.join(': ') || 'unknown error');
}

/** The parts of a non-2xx response that an error message uses. */
export interface FailedResponse {
  status: number;
  statusText: string;
  body: string;
  retryAfterMs: number | undefined;
  location: string | null;
}

function statusLabel(response: FailedResponse): string {
  return `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
}

function quoted(text: string): string {
  const snippet = truncateText(text);
  return snippet ? `"${snippet}"` : '(empty body)';
}

function requestBodyPart(request: PendoRequest): string {
  return request.body ? ` Request body: ${truncateText(request.body)}` : '';
}

function statusMessage(request: PendoRequest, response: FailedResponse): string {
  const target = describeRequest(request);
  const label = statusLabel(response);
  const status = response.status;
  if (status === 401 || status === 403) {
    const host = new URL(request.url).host;
    return (
      `Pendo rejected the integration key (${label}) for ${target}. Check PENDO_API_KEY, and ` +
      `check that PENDO_REGION or PENDO_BASE_URL selects the region where the key was created; ` +
      `this request went to ${host}.`
    );
  }
  if (status === 400) {
    return `Pendo rejected the request as invalid (${label}) for ${target}: ${quoted(response.body)}.${requestBodyPart(request)}`;
  }
  if (status === 404) {
    return `Pendo returned ${label} for ${target}: the path ${request.path} does not exist on this host. Response: ${quoted(response.body)}.`;
  }
  if (status === 422) {
    return `Pendo rejected the request as unprocessable (${label}) for ${target}: ${quoted(response.body)}.${requestBodyPart(request)}`;
  }
  if (status >= 300 && status < 400) {
    return (
      `Pendo redirected ${target} to ${response.location ?? 'an unknown location'} (${label}). ` +
      'Redirects are not followed, so the integration key never goes to another host. ' +
      'Set PENDO_BASE_URL to the host that the redirect names.'
    );
  }
  return `Pendo returned ${label} for ${target}: ${quoted(response.body)}.`;
}

/** Builds the error for a non-2xx response. 408, 429 and 5xx are retryable. */
export function statusError(request: PendoRequest, response: FailedResponse): PendoApiError {
  return new PendoApiError(redactSecrets(statusMessage(request, response)), {
    status: response.status,
    url: redactSecrets(request.url),
    retryable: isRetryableStatus(response.status),
    retryAfterMs: response.retryAfterMs,
    timedOut: response.status === 408 || response.status === 504,
  });
}

/** Builds the error for a request that got no response: a network failure or a timeout. */
export function connectError(
  request: PendoRequest,
  cause: unknown,
  headersTimeoutMs?: number,
): PendoApiError {
  const target = describeRequest(request);
  const message =
    headersTimeoutMs === undefined
      ? `The request ${target} to Pendo failed: ${describeCause(cause)}.`
      : `Pendo sent no response headers within ${headersTimeoutMs} ms for ${target}.`;
  return new PendoApiError(message, {
    url: redactSecrets(request.url),
    retryable: headersTimeoutMs !== undefined || isRetryableNetworkError(cause),
    timedOut: headersTimeoutMs !== undefined,
    cause,
  });
}

/** Wraps the last failure once every attempt is spent. It keeps that failure's `retryable` flag. */
export function attemptsExhaustedError(
  request: PendoRequest,
  attempts: number,
  last: PendoApiError,
): PendoApiError {
  return new PendoApiError(
    `Pendo request ${describeRequest(request)} failed after ${attempts} ` +
      `${attempts === 1 ? 'attempt' : 'attempts'}. ` +
      `Last error: ${last.message}`,
    {
      status: last.status,
      url: last.url,
      retryable: last.retryable,
      retryAfterMs: last.retryAfterMs,
      timedOut: last.timedOut,
      cause: last,
    },
  );
}

/** True when zlib (which decodes gzip and deflate bodies) raised the error or its cause. */
function isDecompressionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Builds the error for a body that failed after it started. It is retryable, but the client
 * does not retry it itself because records may already have reached the caller.
 */
export function bodyError(
  request: PendoRequest,
  bytes: number,
  cause: unknown,
  idleTimeoutMs?: number,
): PendoApiError {
  const target = describeRequest(request);
  let summary: string;
  if (idleTimeoutMs !== undefined) {
    summary = `Pendo sent no data for ${idleTimeoutMs} ms after ${bytes} bytes of the response body of ${target}.`;
  } else if (isDecompressionError(cause)) {
    summary = `The compressed response body of ${target} is corrupt after ${bytes} decompressed bytes: ${describeCause(cause)}.`;
  } else {
    summary = `The response body of ${target} failed after ${bytes} bytes: ${describeCause(cause)}.`;
  }
  return new PendoApiError(
    `${summary} Requests are not retried once the body has started, so resume from the last committed cursor.`,
    {
      url: redactSecrets(request.url),
      retryable: true,
      timedOut: idleTimeoutMs !== undefined,
      cause,
    },
  );
}
