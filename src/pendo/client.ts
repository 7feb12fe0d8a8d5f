import { PendoResponseError } from '../errors';
import type { PendoRecord } from '../types';
import { bodyChunks, readAllBytes } from './body';
import { resolveTransport } from './client-options';
import type { PendoClientOptions } from './client-options';
import { describeRequest } from './http-errors';
import type { RecordLayout } from './json-shape';
import type { Limiter } from './limiter';
import { sendWithRetry } from './request';
import type { PendoRequest, Transport } from './request';
import { ServerClock } from './server-clock';
import { streamJsonArray, streamResultsArray } from './stream-json';

/** Object types that `GET /api/v1/<type>` lists in full, without paging. */
export const PENDO_OBJECT_TYPES = [
  'guide',
  'feature',
  'page',
  'tracktype',
  'report',
  'segment',
] as const;

export type PendoObjectType = (typeof PENDO_OBJECT_TYPES)[number];

/** Small document that `serverTime` requests when no response has shown Pendo's clock yet. */
export const CLOCK_PROBE_PATH = '/api/v1/metadata/schema/visitor';

/** Options of one aggregation request. */
export interface AggregateOptions {
  /**
   * False to fail at once on a timeout (408, 504, no headers in time) instead of retrying, so
   * the caller can split the request into smaller ones. True by default.
   */
  retryTimeouts?: boolean;
}

/** Maximum body size, in bytes, that getJson reads into memory. */
export const MAX_JSON_BYTES = 32 * 1024 * 1024;

/**
 * Reads a Pendo subscription over REST API v1. Streaming methods yield records in batches as
 * the body arrives. Errors are PendoApiError (HTTP and network) or PendoResponseError (invalid
 * body), and their `retryable` flag is true when the same request may succeed later.
 */
export interface PendoClient {
  /** Base URL without `/api/v1`. */
  readonly baseUrl: string;
  /**
   * Streams `GET /api/v1/<type>`. With `expandAllApps`, adds `expand=*`, without which Pendo
   * returns only the default app's objects.
   */
  listObjects(
    type: PendoObjectType,
    options: { expandAllApps: boolean },
  ): AsyncGenerator<PendoRecord[]>;
  /** Streams the `results` of `POST /api/v1/aggregation` for `pipeline`. */
  aggregate(pipeline: unknown[], options?: AggregateOptions): AsyncGenerator<PendoRecord[]>;
  /** Reads a small JSON document, such as `/api/v1/metadata/schema/visitor`. */
  getJson(path: string): Promise<unknown>;
  /** Counts the rows of `pipeline` by appending a `{count: null}` stage. */
  count(pipeline: unknown[]): Promise<number>;
  /**
   * Returns Pendo's current time in epoch ms: the `Date` header of the latest response plus
   * the local time elapsed since. Sends a small request first when no response arrived yet.
   * Falls back to the local clock, with a warning, when Pendo sends no `Date` header.
   */
  serverTime(): Promise<number>;
}

async function* streamRecords(
  transport: Transport,
  limiter: Limiter | undefined,
  request: PendoRequest,
  layout: RecordLayout,
): AsyncGenerator<PendoRecord[]> {
  // The slot is held until the body is read or the consumer stops, because an open body
  // still occupies a connection to Pendo.
  const release = await limiter?.acquire();
  let abort: (() => void) | undefined;
  try {
    const open = await sendWithRetry(transport, request);
    abort = open.abort;
    const chunks = bodyChunks(open.response, {
      request,
      idleTimeoutMs: transport.bodyIdleTimeoutMs,
      abort: open.abort,
    });
    const name = describeRequest(request);
    yield* layout === 'array' ? streamJsonArray(chunks, name) : streamResultsArray(chunks, name);
  } finally {
    abort?.();
    release?.();
  }
}

function parseJsonBody(bytes: Buffer, request: PendoRequest): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // Retryable for the reason RecordParser gives: a 2xx body that is not JSON is a proxy
    // page or damaged bytes.
    throw new PendoResponseError(
      `Invalid JSON in the Pendo response to ${describeRequest(request)}: ${detail}.`,
      { retryable: true, cause: error },
    );
  }
}

async function fetchJson(
  transport: Transport,
  limiter: Limiter | undefined,
  request: PendoRequest,
): Promise<unknown> {
  const release = await limiter?.acquire();
  try {
    const open = await sendWithRetry(transport, request);
    try {
      const options = { request, idleTimeoutMs: transport.bodyIdleTimeoutMs, abort: open.abort };
      return parseJsonBody(await readAllBytes(open.response, options, MAX_JSON_BYTES), request);
    } finally {
      open.abort();
    }
  } finally {
    release?.();
  }
}

function checkPath(path: string): void {
  // A path must stay on the configured host: no scheme, no `//host` form.
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('://')) {
    throw new TypeError(`Invalid Pendo API path "${path}": expected a path such as /api/v1/page.`);
  }
}

function checkPipeline(pipeline: unknown): void {
  if (!Array.isArray(pipeline) || pipeline.length === 0) {
    throw new TypeError('An aggregation pipeline must be a non-empty array of stages.');
  }
}

function countFromRows(rows: PendoRecord[], request: PendoRequest): number {
  // NOTE: it is not known whether Pendo sends [] or [{"count": 0}] for an empty input, so
  // both mean 0.
  if (rows.length === 0) return 0;
  const value = rows[0]?.count;
  if (rows.length > 1 || typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    const found = JSON.stringify(rows).slice(0, 200);
    throw new PendoResponseError(
      `Unexpected Pendo response to ${describeRequest(request)}: expected one row ` +
        `{"count": <integer>} but found ${found}.`,
    );
  }
  return value;
}

/** Creates a Pendo client. Throws a ConfigError for invalid options. */
export function createPendoClient(options: PendoClientOptions): PendoClient {
  const clock = new ServerClock(options.logger);
  const transport: Transport & { baseUrl: string } = {
    ...resolveTransport(options),
    onResponse: (response) => clock.observe(response),
  };
  const { baseUrl } = transport;
  const limiter = options.limiter;

  function buildRequest(method: 'GET' | 'POST', path: string, body?: string): PendoRequest {
    return { method, path, url: `${baseUrl}${path}`, body };
  }

  function aggregationRequest(pipeline: unknown[]): PendoRequest {
    checkPipeline(pipeline);
    const envelope = { response: { mimeType: 'application/json' }, request: { pipeline } };
    return buildRequest('POST', '/api/v1/aggregation', JSON.stringify(envelope));
  }

  return {
    baseUrl,
    listObjects(type, { expandAllApps }) {
      if (!PENDO_OBJECT_TYPES.includes(type)) {
        throw new TypeError(
          `Unknown Pendo object type "${String(type)}". Use one of: ${PENDO_OBJECT_TYPES.join(', ')}.`,
        );
      }
      const path = `/api/v1/${type}${expandAllApps ? '?expand=*' : ''}`;
      return streamRecords(transport, limiter, buildRequest('GET', path), 'array');
    },
    aggregate(pipeline, aggregateOptions = {}) {
      const request = { ...aggregationRequest(pipeline), ...aggregateOptions };
      return streamRecords(transport, limiter, request, 'results');
    },
    async getJson(path) {
      checkPath(path);
      return fetchJson(transport, limiter, buildRequest('GET', path));
    },
    async count(pipeline) {
      checkPipeline(pipeline);
      const request = aggregationRequest([...pipeline, { count: null }]);
      const rows: PendoRecord[] = [];
      for await (const batch of streamRecords(transport, limiter, request, 'results')) {
        rows.push(...batch);
      }
      return countFromRows(rows, request);
    },
    async serverTime() {
      if (!clock.seenResponse)
        await fetchJson(transport, limiter, buildRequest('GET', CLOCK_PROBE_PATH));
      return clock.now();
    },
  };
}
