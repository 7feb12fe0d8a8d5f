import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, PendoApiError } from '../../src/errors';
import { createPendoClient } from '../../src/pendo/client';
import type { PendoObjectType } from '../../src/pendo/client';
import { createLimiter } from '../../src/pendo/limiter';
import type { RequestAttemptInfo } from '../../src/pendo/request';
import { silentLogger } from '../../src/log';
import {
  TEST_API_KEY,
  collect,
  rejectionOf,
  sendJson,
  startTestServer,
  testClient,
} from './helpers/test-server';
import type { TestServer } from './helpers/test-server';

const GUIDES = [
  { id: 'g1', kind: 'Guide', lastUpdatedAt: 1 },
  { id: 'g2', kind: 'Guide', lastUpdatedAt: 2 },
];

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

describe('listObjects', () => {
  it('sends GET with expand=* and the key header', async () => {
    const server = await serve((_req, res) => sendJson(res, GUIDES));
    const records = await collect(testClient(server).listObjects('guide', { expandAllApps: true }));
    expect(records).toEqual(GUIDES);
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/api/v1/guide?expand=*');
    expect(request?.headers['x-pendo-integration-key']).toBe(TEST_API_KEY);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['accept-encoding']).toBe('gzip');
  });

  it('omits expand without expandAllApps', async () => {
    const server = await serve((_req, res) => sendJson(res, []));
    await collect(testClient(server).listObjects('page', { expandAllApps: false }));
    expect(server.requests[0]?.url).toBe('/api/v1/page');
  });

  it.each(['guide', 'feature', 'page', 'tracktype', 'report', 'segment'])(
    'lists %s',
    async (type) => {
      const server = await serve((_req, res) => sendJson(res, [{ id: type }]));
      const client = testClient(server);
      const records = await collect(
        client.listObjects(type as PendoObjectType, { expandAllApps: true }),
      );
      expect(records).toEqual([{ id: type }]);
      expect(server.requests[0]?.url).toBe(`/api/v1/${type}?expand=*`);
    },
  );

  it('rejects an unknown type', async () => {
    const server = await serve((_req, res) => sendJson(res, []));
    const client = testClient(server);
    expect(() => client.listObjects('visitor' as PendoObjectType, { expandAllApps: true })).toThrow(
      TypeError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('accepts a base URL ending in /api/v1/', async () => {
    const server = await serve((_req, res) => sendJson(res, GUIDES));
    const client = testClient(server, { baseUrl: `${server.url}/api/v1/` });
    expect(await collect(client.listObjects('guide', { expandAllApps: true }))).toEqual(GUIDES);
    expect(server.requests[0]?.url).toBe('/api/v1/guide?expand=*');
  });

  it('sends nothing until the consumer pulls', async () => {
    const server = await serve((_req, res) => sendJson(res, GUIDES));
    const batches = testClient(server).listObjects('guide', { expandAllApps: true });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests).toHaveLength(0);
    await collect(batches);
    expect(server.requests).toHaveLength(1);
  });
});

describe('gzip', () => {
  it('decodes a gzip body', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ id: `f${i}`, name: 'x'.repeat(20) }));
    const server = await serve((req, res) => {
      const accepts = String(req.headers['accept-encoding'] ?? '').includes('gzip');
      const body = Buffer.from(JSON.stringify(rows));
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(accepts ? { 'content-encoding': 'gzip' } : {}),
      });
      const payload = accepts ? gzipSync(body) : body;
      // Several writes, so the client decodes a stream and not one buffer.
      for (let start = 0; start < payload.length; start += 1000) {
        res.write(payload.subarray(start, start + 1000));
      }
      res.end();
    });
    const records = await collect(
      testClient(server).listObjects('feature', { expandAllApps: true }),
    );
    expect(records).toEqual(rows);
  });

  it('decodes a gzip aggregation', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ startTime: 1, results: [{ visitorId: 'v' }] })));
    });
    const records = await collect(testClient(server).aggregate([{ source: { visitors: null } }]));
    expect(records).toEqual([{ visitorId: 'v' }]);
  });
});

describe('aggregate', () => {
  it('posts the pipeline in the envelope', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, { startTime: 1598050800000, results: [{ accountId: 'a' }] }),
    );
    const pipeline = [{ source: { accounts: null } }, { sort: ['accountId'] }, { limit: 10 }];
    const records = await collect(testClient(server).aggregate(pipeline));
    expect(records).toEqual([{ accountId: 'a' }]);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/v1/aggregation');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      response: { mimeType: 'application/json' },
      request: { pipeline },
    });
  });

  it('rejects an empty pipeline', () => {
    const client = createPendoClient({
      apiKey: TEST_API_KEY,
      baseUrl: 'http://127.0.0.1:1',
      logger: silentLogger,
    });
    expect(() => client.aggregate([])).toThrow(TypeError);
  });
});

describe('count', () => {
  it('appends a count stage', async () => {
    const server = await serve((_req, res) => sendJson(res, { results: [{ count: 42 }] }));
    const pipeline = [{ source: { visitors: null } }];
    expect(await testClient(server).count(pipeline)).toBe(42);
    const body = JSON.parse(server.requests[0]?.body ?? '') as {
      request: { pipeline: unknown[] };
    };
    expect(body.request.pipeline).toEqual([{ source: { visitors: null } }, { count: null }]);
    expect(pipeline).toHaveLength(1);
  });

  it('treats empty results as zero', async () => {
    const server = await serve((_req, res) => sendJson(res, { results: [] }));
    expect(await testClient(server).count([{ source: { visitors: null } }])).toBe(0);
  });

  it('rejects a row without a number', async () => {
    const server = await serve((_req, res) => sendJson(res, { results: [{ count: 'many' }] }));
    const error = await rejectionOf(testClient(server).count([{ source: { visitors: null } }]));
    expect(error.message).toContain('expected one row');
  });
});

describe('getJson', () => {
  it('returns a small object', async () => {
    const schema = { auto: { lastvisit: { Type: 'time' } } };
    const server = await serve((_req, res) => sendJson(res, schema));
    expect(await testClient(server).getJson('/api/v1/metadata/schema/visitor')).toEqual(schema);
    expect(server.requests[0]?.url).toBe('/api/v1/metadata/schema/visitor');
    expect(server.requests[0]?.headers['x-pendo-integration-key']).toBe(TEST_API_KEY);
  });

  it('rejects invalid JSON', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"auto":');
    });
    const error = await rejectionOf(testClient(server).getJson('/api/v1/metadata/schema/account'));
    expect(error.message).toContain('Invalid JSON');
    expect(error.message).toContain(`${server.url}/api/v1/metadata/schema/account`);
  });

  it.each(['api/v1/x', '//evil.example/x', 'http://127.0.0.1:1/x'])(
    'rejects path %s',
    async (path) => {
      const server = await serve((_req, res) => sendJson(res, {}));
      await expect(testClient(server).getJson(path)).rejects.toThrow(TypeError);
      expect(server.requests).toHaveLength(0);
    },
  );
});

describe('onRequest', () => {
  it('reports every attempt', async () => {
    const server = await serve((_req, res, { index }) => {
      if (index === 0) {
        res.writeHead(503);
        res.end('busy');
        return;
      }
      sendJson(res, GUIDES);
    });
    const attempts: RequestAttemptInfo[] = [];
    const client = testClient(server, { onRequest: (info) => attempts.push(info) });
    await collect(client.listObjects('guide', { expandAllApps: true }));
    expect(attempts.map((info) => info.status)).toEqual([503, 200]);
    expect(attempts.map((info) => info.attempt)).toEqual([1, 2]);
    for (const info of attempts) {
      expect(info.method).toBe('GET');
      expect(info.path).toBe('/api/v1/guide?expand=*');
      expect(info.durationMs).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('limiter', () => {
  it('caps concurrent requests at the server', async () => {
    const server = await serve(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      sendJson(res, GUIDES);
    });
    const limiter = createLimiter(2);
    const client = testClient(server, { limiter });
    const types: PendoObjectType[] = ['guide', 'feature', 'page', 'tracktype', 'report', 'segment'];
    const results = await Promise.all(
      types.map((type) => collect(client.listObjects(type, { expandAllApps: true }))),
    );
    expect(results.every((records) => records.length === 2)).toBe(true);
    expect(server.requests).toHaveLength(6);
    expect(server.maxConcurrent).toBe(2);
    expect(limiter.active).toBe(0);
  });

  it('holds the slot while the body streams', async () => {
    const server = await serve((_req, res) => sendJson(res, GUIDES));
    const limiter = createLimiter(1);
    const batches = testClient(server, { limiter }).listObjects('guide', { expandAllApps: true });
    await batches.next();
    expect(limiter.active).toBe(1);
    await batches.next();
    expect(limiter.active).toBe(0);
  });

  it('frees the slot when the consumer stops early', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"id":1},');
      // The body never ends, so only cancelling frees the connection.
    });
    const limiter = createLimiter(1);
    const client = testClient(server, { limiter });
    for await (const batch of client.listObjects('guide', { expandAllApps: true })) {
      expect(batch).toEqual([{ id: 1 }]);
      break;
    }
    expect(limiter.active).toBe(0);
  });

  it('frees the slot after an error', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(403);
      res.end();
    });
    const limiter = createLimiter(1);
    const client = testClient(server, { limiter });
    const error = await rejectionOf(collect(client.listObjects('guide', { expandAllApps: true })));
    expect(error).toBeInstanceOf(PendoApiError);
    expect(limiter.active).toBe(0);
    await expect(client.getJson('/api/v1/metadata/schema/visitor')).rejects.toThrow('403');
    expect(limiter.active).toBe(0);
  });
});

describe('redirects', () => {
  it('does not follow a redirect to another host', async () => {
    const other = await serve((_req, res) => sendJson(res, GUIDES));
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${other.url}/api/v1/guide` });
      res.end();
    });
    const error = await rejectionOf(
      collect(testClient(server).listObjects('guide', { expandAllApps: true })),
    );
    expect(other.requests).toHaveLength(0);
    expect(error.message).toContain('redirected');
    expect(error.message).toContain('PENDO_BASE_URL');
    expect((error as PendoApiError).retryable).toBe(false);
  });
});

describe('options', () => {
  it('rejects an empty key', () => {
    expect(() =>
      createPendoClient({ apiKey: ' ', baseUrl: 'http://127.0.0.1:1', logger: silentLogger }),
    ).toThrow(ConfigError);
  });

  it.each([
    ['maxAttempts', 0],
    ['timeoutMs', -1],
    ['bodyIdleTimeoutMs', 1.5],
    ['retryBaseMs', Number.NaN],
  ])('rejects %s = %s', (name, value) => {
    expect(() =>
      createPendoClient({
        apiKey: TEST_API_KEY,
        baseUrl: 'http://127.0.0.1:1',
        logger: silentLogger,
        [name]: value,
      }),
    ).toThrow(name);
  });

  it('rejects a bad base URL', () => {
    expect(() =>
      createPendoClient({ apiKey: TEST_API_KEY, baseUrl: 'ftp://x', logger: silentLogger }),
    ).toThrow(ConfigError);
  });
});
