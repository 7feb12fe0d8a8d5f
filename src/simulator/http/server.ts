import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { SimulatorHttpError } from '../errors';
import type { SimulatorState } from '../state';
import type { ApiRequest } from './api-routes';
import { matchApiRoute, routeMethod, serveApiRoute } from './api-routes';
import { checkIntegrationKey } from './auth';
import { serveControl } from './control-routes';
import type { FaultSpec } from './faults';
import { FIREWALL_PAGE, defaultFaultBody, retryAfterHeader } from './faults';
import type { RequestLogEntry } from './request-log';
import { appendLogEntry } from './request-log';
import { NOT_FOUND_TEXT, sendText } from './respond';
import { StreamClosedError } from './response-stream';

/** Sends a fault that replaces the reply: an error status, or a 200 HTML page. */
function sendFault(response: ServerResponse, fault: FaultSpec & { status: number }): void {
  const fallback =
    fault.status === 200
      ? { body: FIREWALL_PAGE, contentType: 'text/html; charset=utf-8' }
      : defaultFaultBody(fault.status);
  const body = fault.body ?? fallback.body;
  const contentType = fault.body === undefined ? fallback.contentType : 'text/plain; charset=utf-8';
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (fault.retryAfter) headers['Retry-After'] = retryAfterHeader(fault.retryAfter);
  response.writeHead(fault.status, { ...headers, ...fault.headers });
  response.end(body);
}

/** Returns the status of a fault that replaces the reply, or undefined when it changes the body. */
function replacementStatus(fault: FaultSpec | undefined): number | undefined {
  if (fault?.status !== undefined) return fault.status;
  return fault?.invalidJson === 'html' ? 200 : undefined;
}

/** Authenticates, applies a queued fault, then serves a request under `/api/v1`. */
async function serveApi(state: SimulatorState, api: Omit<ApiRequest, 'fault'>): Promise<void> {
  const { request, response, url, entry } = api;
  const route = matchApiRoute(url.pathname);
  if (!route) return sendText(response, 404, NOT_FOUND_TEXT);
  const method = request.method ?? 'GET';
  if (method !== routeMethod(route)) {
    return sendText(response, 405, 'Method Not Allowed', { Allow: routeMethod(route) });
  }
  const keys = new Set(state.options.apiKeys);
  const rejection = checkIntegrationKey(request, keys, state.options.keyRegions);
  if (rejection) return sendText(response, 403, rejection);
  const fault = state.faults.take(method, url.pathname.split('/')[3] ?? '');
  const status = replacementStatus(fault);
  if (fault) entry.fault = status === undefined ? 'modified' : String(status);
  if (fault?.delayMs) await delay(fault.delayMs);
  if (fault && status !== undefined) return sendFault(response, { ...fault, status });
  return serveApiRoute({ ...api, fault }, route);
}

function replyToError(state: SimulatorState, response: ServerResponse, error: unknown): void {
  if (error instanceof StreamClosedError) return;
  const known = error instanceof SimulatorHttpError || error instanceof URIError;
  if (!known) state.options.logger.error({ err: error }, 'simulator request failed');
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (error instanceof SimulatorHttpError) sendText(response, error.status, error.message);
  else if (error instanceof URIError) sendText(response, 400, 'Invalid percent-encoding in path');
  else sendText(response, 500, 'Internal simulator error');
}

/**
 * Creates the log entry of a request. Its `status` reads the response while it is open, so
 * a test reads the status as soon as the headers are out, and becomes a plain value on close.
 */
function createLogEntry(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): RequestLogEntry {
  const entry = {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.search.replace(/^\?/, ''),
    get status(): number {
      return response.headersSent ? response.statusCode : 0;
    },
    rows: 0,
    bytes: 0,
    receivedAt: Date.now(),
  } as RequestLogEntry;
  response.once('close', () => {
    const status = response.headersSent ? response.statusCode : 0;
    Object.defineProperty(entry, 'status', { value: status, enumerable: true, writable: true });
    entry.durationMs = Date.now() - entry.receivedAt;
  });
  return entry;
}

async function handleRequest(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  // Pendo's clients read Pendo's time from this header, so it shows the simulated clock.
  response.setHeader('Date', new Date(state.clock.now()).toUTCString());
  const entry = createLogEntry(request, response, url);
  const isControl = url.pathname.startsWith('/_simulator/');
  if (!isControl) appendLogEntry(state.requestLog, entry);
  try {
    if (isControl) await serveControl(state, request, response, url, entry);
    else await serveApi(state, { state, request, response, url, entry });
  } catch (error) {
    replyToError(state, response, error);
  }
  state.options.logger.debug(
    { method: entry.method, path: entry.path, status: response.statusCode },
    'simulator request',
  );
}

/** Creates the HTTP server; it does not listen yet. */
export function createSimulatorServer(state: SimulatorState): Server {
  return createServer((request, response) => {
    void handleRequest(state, request, response);
  });
}
