import { afterEach, describe, expect, it } from 'vitest';
import {
  TEST_API_KEY,
  captureLogger,
  collect,
  rejectionOf,
  sendText,
  startTestServer,
  testClient,
} from './helpers/test-server';
import type { Handler, TestServer } from './helpers/test-server';

let servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** Collects the messages and stacks of an error's cause chain. */
function messages(error: unknown): string[] {
  const found: string[] = [];
  let current: unknown = error;
  while (current instanceof Error) {
    found.push(current.message, current.stack ?? '');
    current = current.cause;
  }
  return found;
}

// Each server echoes the key back, the worst case for a message that quotes a response.
const FAILURES: Array<[string, Handler]> = [
  ['403', (_req, res) => sendText(res, 403, `invalid key ${TEST_API_KEY}`)],
  ['400', (_req, res) => sendText(res, 400, `Cannot parse filter expression ${TEST_API_KEY}`)],
  ['503 exhausted', (_req, res) => sendText(res, 503, `busy ${TEST_API_KEY}`)],
  [
    'redirect',
    (_req, res) => sendText(res, 302, '', { location: `http://127.0.0.1:1/?key=${TEST_API_KEY}` }),
  ],
  [
    'bad JSON',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`[{"key":"${TEST_API_KEY}"}, ${TEST_API_KEY}]`);
    },
  ],
  [
    'reset mid-body',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`[{"key":"${TEST_API_KEY}"},`);
      setTimeout(() => res.socket?.resetAndDestroy(), 10);
    },
  ],
];

describe('integration key', () => {
  it.each(FAILURES)('stays out of errors and logs on %s', async (_name, handler) => {
    const server = await startTestServer(handler);
    servers.push(server);
    const { logger, lines } = captureLogger();
    const client = testClient(server, { logger, maxAttempts: 2 });
    const error = await rejectionOf(collect(client.listObjects('guide', { expandAllApps: true })));
    expect(server.requests[0]?.headers['x-pendo-integration-key']).toBe(TEST_API_KEY);
    expect(messages(error).length).toBeGreaterThan(0);
    for (const text of messages(error)) expect(text).not.toContain(TEST_API_KEY);
    expect(JSON.stringify((error as { url?: unknown }).url ?? '')).not.toContain(TEST_API_KEY);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(TEST_API_KEY);
  });

  it('stays out of a request to a closed port', async () => {
    const closed = await startTestServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const { logger, lines } = captureLogger();
    const client = testClient({ ...closed, url }, { logger, maxAttempts: 2 });
    const error = await rejectionOf(client.getJson('/api/v1/metadata/schema/visitor'));
    for (const text of messages(error)) expect(text).not.toContain(TEST_API_KEY);
    for (const line of lines) expect(line).not.toContain(TEST_API_KEY);
  });
});
