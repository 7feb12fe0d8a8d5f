import { afterEach, describe, expect, it } from 'vitest';
import { PendoApiError, PendoResponseError } from '../../src/errors';
import {
  captureLogger,
  collect,
  rejectionOf,
  sendJson,
  sendText,
  startTestServer,
  testClient,
} from './helpers/test-server';
import type { TestServer } from './helpers/test-server';

const GUIDES = [{ id: 'g1' }, { id: 'g2' }];
const PIPELINE = [{ source: { visitors: null } }, { filter: 'visitorId > "a' }];

let servers: TestServer[] = [];

async function serve(...args: Parameters<typeof startTestServer>): Promise<TestServer> {
  const server = await startTestServer(...args);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

function listGuides(server: TestServer, options: Parameters<typeof testClient>[1] = {}) {
  return collect(testClient(server, options).listObjects('guide', { expandAllApps: true }));
}

function asApiError(error: Error): PendoApiError {
  expect(error).toBeInstanceOf(PendoApiError);
  return error as PendoApiError;
}

describe('status errors', () => {
  it.each([401, 403])('explains a rejected key on %s', async (status) => {
    const server = await serve((_req, res) => sendText(res, status, ''));
    const error = asApiError(await rejectionOf(listGuides(server)));
    expect(error.message).toContain('rejected the integration key');
    expect(error.message).toContain('PENDO_API_KEY');
    expect(error.message).toContain('PENDO_REGION');
    expect(error.message).toContain('PENDO_BASE_URL');
    expect(error.message).toContain(new URL(server.url).host);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('includes the 400 body and the request', async () => {
    const server = await serve((_req, res) => sendText(res, 400, 'Cannot parse filter expression'));
    const client = testClient(server);
    const error = asApiError(await rejectionOf(collect(client.aggregate(PIPELINE))));
    expect(error.message).toContain('Cannot parse filter expression');
    expect(error.message).toContain(`POST ${server.url}/api/v1/aggregation`);
    expect(error.message).toContain('visitorId > \\"a');
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('names the path on 404', async () => {
    const server = await serve((_req, res) => sendText(res, 404, '404 page not found'));
    const error = asApiError(await rejectionOf(testClient(server).getJson('/api/v1/nothing')));
    expect(error.message).toContain('/api/v1/nothing');
    expect(error.message).toContain('404 page not found');
    expect(error.retryable).toBe(false);
  });

  it('includes the 422 body', async () => {
    const server = await serve((_req, res) => sendText(res, 422, 'unknown operator "frobnicate"'));
    const error = asApiError(await rejectionOf(collect(testClient(server).aggregate(PIPELINE))));
    expect(error.message).toContain('unknown operator "frobnicate"');
    expect(error.message).toContain('422');
    expect(error.retryable).toBe(false);
  });

  it('truncates long bodies', async () => {
    const server = await serve((_req, res) => sendText(res, 400, `start ${'x'.repeat(20_000)}`));
    const error = asApiError(await rejectionOf(listGuides(server)));
    expect(error.message).toContain('start xxx');
    expect(error.message).toContain('…');
    expect(error.message.length).toBeLessThan(700);
  });
});

describe('retries', () => {
  it('honours Retry-After in seconds', async () => {
    const arrivals: number[] = [];
    const server = await serve((_req, res, { index }) => {
      arrivals.push(performance.now());
      if (index === 0) sendText(res, 429, 'Too Many Requests', { 'retry-after': '1' });
      else sendJson(res, GUIDES);
    });
    expect(await listGuides(server)).toEqual(GUIDES);
    expect(arrivals).toHaveLength(2);
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const arrivals: number[] = [];
    const server = await serve((_req, res, { index }) => {
      arrivals.push(Date.now());
      if (index > 0) return sendJson(res, GUIDES);
      // HTTP dates have whole seconds, so the wait is between 1 and 2 seconds.
      const date = new Date(Date.now() + 2000).toUTCString();
      sendText(res, 503, 'maintenance', { 'retry-after': date });
    });
    expect(await listGuides(server)).toEqual(GUIDES);
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('caps Retry-After', async () => {
    const server = await serve((_req, res, { index }) => {
      if (index === 0) sendText(res, 429, '', { 'retry-after': '3600' });
      else sendJson(res, GUIDES);
    });
    const started = Date.now();
    expect(await listGuides(server, { retryAfterCapMs: 50 })).toEqual(GUIDES);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('retries a 503 HTML page and logs it', async () => {
    const server = await serve((_req, res, { index }) => {
      if (index === 0) {
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
        return;
      }
      sendJson(res, GUIDES);
    });
    const { logger, lines } = captureLogger();
    expect(await listGuides(server, { logger })).toEqual(GUIDES);
    const warnings = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const retry = warnings.find((entry) => entry.level === 40);
    expect(retry?.msg).toContain('retry 1 of 5');
    expect(retry?.status).toBe(503);
    expect(retry?.path).toBe('/api/v1/guide?expand=*');
    expect(typeof retry?.delayMs).toBe('number');
  });

  it.each([408, 500, 502, 504])('retries %s', async (status) => {
    const server = await serve((_req, res, { index }) => {
      if (index === 0) sendText(res, status, 'The call took too long and timed out.');
      else sendJson(res, GUIDES);
    });
    expect(await listGuides(server)).toEqual(GUIDES);
    expect(server.requests).toHaveLength(2);
  });

  it('reports the attempts when retries run out', async () => {
    const server = await serve((_req, res) => sendText(res, 503, 'Service Unavailable'));
    const error = asApiError(await rejectionOf(listGuides(server, { maxAttempts: 3 })));
    expect(error.message).toContain('failed after 3 attempts');
    expect(error.message).toContain('HTTP 503');
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it('reports the network cause when retries run out', async () => {
    const closed = await startTestServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const client = testClient({ ...closed, url }, { maxAttempts: 2 });
    const error = asApiError(
      await rejectionOf(collect(client.listObjects('guide', { expandAllApps: true }))),
    );
    expect(error.message).toContain('failed after 2 attempts');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.retryable).toBe(true);
  });

  it('does not retry a 4xx', async () => {
    const server = await serve((_req, res) => sendText(res, 409, 'conflict'));
    const error = asApiError(await rejectionOf(listGuides(server)));
    expect(error.status).toBe(409);
    expect(error.message).toContain('conflict');
    expect(server.requests).toHaveLength(1);
  });
});

describe('timeouts', () => {
  it('times out waiting for headers', async () => {
    const server = await serve(() => undefined);
    const error = asApiError(
      await rejectionOf(listGuides(server, { timeoutMs: 100, maxAttempts: 2 })),
    );
    expect(error.message).toContain('no response headers within 100 ms');
    expect(error.message).toContain('failed after 2 attempts');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('retries after a header timeout', async () => {
    const server = await serve((_req, res, { index }) => {
      if (index > 0) sendJson(res, GUIDES);
    });
    expect(await listGuides(server, { timeoutMs: 100 })).toEqual(GUIDES);
  });

  it('times out a stalled body without retrying', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"id":"g1"},');
    });
    const batches = testClient(server, { bodyIdleTimeoutMs: 100 }).listObjects('guide', {
      expandAllApps: true,
    });
    expect((await batches.next()).value).toEqual([{ id: 'g1' }]);
    const error = asApiError(await rejectionOf(batches.next()));
    expect(error.message).toContain('no data for 100 ms');
    expect(error.message).toContain('after 13 bytes');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('does not count a slow consumer as idle', async () => {
    const server = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"id":"g1"}');
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.end(',{"id":"g2"}]');
    });
    const records: unknown[] = [];
    for await (const batch of testClient(server, { bodyIdleTimeoutMs: 100 }).listObjects('guide', {
      expandAllApps: true,
    })) {
      records.push(...batch);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(records).toEqual(GUIDES);
  });
});

describe('broken bodies', () => {
  it('fails a reset connection mid-body as retryable', async () => {
    const server = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"id":"g1"},');
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.socket?.resetAndDestroy();
    });
    const batches = testClient(server).listObjects('guide', { expandAllApps: true });
    expect((await batches.next()).value).toEqual([{ id: 'g1' }]);
    const error = asApiError(await rejectionOf(batches.next()));
    expect(error.message).toContain('failed after 13 bytes');
    expect(error.message).toContain('resume from the last committed cursor');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('fails a closed connection mid-body as retryable', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('[{"id":"g1"},');
      setTimeout(() => res.destroy(), 20);
    });
    const error = asApiError(await rejectionOf(listGuides(server)));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`GET ${server.url}/api/v1/guide?expand=*`);
  });

  it('names the URL and byte of malformed JSON', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[{"id":"g1"},{"id":g2}]');
    });
    const error = await rejectionOf(listGuides(server));
    expect(error).toBeInstanceOf(PendoResponseError);
    expect(error.message).toContain(`GET ${server.url}/api/v1/guide?expand=*`);
    expect(error.message).toContain('at byte 19');
  });

  it('names the URL of a truncated aggregation', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"startTime":1,"results":[{"a":1}');
    });
    const error = await rejectionOf(collect(testClient(server).aggregate(PIPELINE)));
    expect(error).toBeInstanceOf(PendoResponseError);
    expect(error.message).toContain(`POST ${server.url}/api/v1/aggregation`);
    expect(error.message).toContain('truncated');
    expect(error.message).toContain('byte 33');
  });

  it('rejects an array from the aggregation endpoint', async () => {
    const server = await serve((_req, res) => sendJson(res, [{ a: 1 }]));
    const error = await rejectionOf(collect(testClient(server).aggregate(PIPELINE)));
    expect(error).toBeInstanceOf(PendoResponseError);
    expect(error.message).toContain('"results" array');
  });
});
