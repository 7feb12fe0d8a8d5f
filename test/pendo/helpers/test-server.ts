import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../../src/log';
import type { Logger } from '../../../src/log';
import { silentLogger } from '../../../src/log';
import { createPendoClient } from '../../../src/pendo/client';
import type { PendoClient } from '../../../src/pendo/client';
import type { PendoClientOptions } from '../../../src/pendo/client-options';

/** The integration key that tests send; no message or log line may contain it. */
export const TEST_API_KEY = 'k3y-4b1d-secret-9f2e';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  context: { index: number; body: string },
) => void | Promise<void>;

/** A tiny HTTP server on 127.0.0.1 that plays Pendo for one test. */
export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  /** Maximum number of requests open at the same time. */
  maxConcurrent: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts a server on a free port that passes each request, its index and its body to `handler`. */
export async function startTestServer(handler: Handler): Promise<TestServer> {
  let open = 0;
  const state: TestServer = {
    url: '',
    requests: [],
    maxConcurrent: 0,
    close: () => Promise.resolve(),
  };
  const server = createServer((req, res) => {
    open += 1;
    state.maxConcurrent = Math.max(state.maxConcurrent, open);
    res.on('close', () => {
      open -= 1;
    });
    void (async () => {
      const body = await readBody(req);
      const index = state.requests.length;
      state.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      });
      await handler(req, res, { index, body });
    })().catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

/** Sends a JSON body with the given status. */
export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body);
}

/** Sends a plain-text body with the given status and extra headers. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Creates a client for `server` with millisecond retry delays, so retry tests stay fast. */
export function testClient(
  server: TestServer,
  overrides: Partial<PendoClientOptions> = {},
): PendoClient {
  return createPendoClient({
    apiKey: TEST_API_KEY,
    baseUrl: server.url,
    logger: silentLogger,
    retryBaseMs: 5,
    retryMaxMs: 20,
    timeoutMs: 5_000,
    bodyIdleTimeoutMs: 5_000,
    ...overrides,
  });
}

/** Creates a debug-level logger that collects its JSON lines in `lines`. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line) => lines.push(line) },
  });
  return { logger, lines };
}

/** Collects every record of a batch stream. */
export async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
}

/** Returns the rejection of `promise`, failing when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`Rejected with a non-error: ${String(error)}`, { cause: error });
  }
  throw new Error('Expected the promise to reject, but it resolved.');
}
