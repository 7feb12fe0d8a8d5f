import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import type { PendoRecord } from '../../src/types';
import { startSmallSimulator } from './helpers';

// A guide is about 4.9 KB, so the body is about 25 MB: several times the 6 MB or so that socket
// and stream buffers held before the server stalled, which the stall test relies on. RSS while
// streaming 80,000 guides is measured by bench/components/simulator-streaming.ts.
const GUIDES = 5_000;
let sim: Simulator;

beforeAll(async () => {
  sim = await startSmallSimulator({ sizes: { guides: GUIDES } });
});
afterAll(async () => {
  await sim.close();
});

/** GETs a path with node:http and returns the raw (possibly compressed) body and headers. */
function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ body: Buffer; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: '127.0.0.1',
        port: sim.port,
        path,
        headers: { 'x-pendo-integration-key': sim.apiKey, ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ body: Buffer.concat(chunks), headers: response.headers }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

describe('streaming', () => {
  it('streams every guide in order', async () => {
    const response = await fetch(`${sim.url}/api/v1/guide?expand=*`, {
      headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': 'identity' },
    });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('response has no body');
    const decoder = new TextDecoder();
    let chunks = 0;
    let text = '';
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks += 1;
      text += decoder.decode(read.value as Uint8Array, { stream: true });
    }
    text += decoder.decode();
    const guides = JSON.parse(text) as PendoRecord[];
    expect(chunks).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(GUIDES * 2000);
    expect(guides.map((guide) => guide.id)).toEqual(sim.truthIds('guides', { allApps: true }));
    expect(guides.every((guide) => guide.kind === 'Guide')).toBe(true);
  });

  it('stalls while the client does not read', async () => {
    const response = await fetch(`${sim.url}/api/v1/guide?expand=*`, {
      headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': 'identity' },
    });
    const reader = response.body?.getReader();
    await reader?.read();
    const entry = sim.requestLog[sim.requestLog.length - 1];
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const first = entry?.rows ?? -1;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = entry?.rows ?? -1;
    await reader?.cancel();
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(first);
    expect(second).toBeLessThan(GUIDES);
  });

  it('gzips when asked and the content is the same', async () => {
    const path = '/api/v1/guide?id=' + sim.truthIds('guides').slice(0, 50).join(',');
    const plain = await rawGet(path, {});
    const gzipped = await rawGet(path, { 'accept-encoding': 'gzip, deflate' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.body.length).toBeLessThan(plain.body.length);
    expect(zlib.gunzipSync(gzipped.body).toString()).toBe(plain.body.toString());
  });

  it('gzips aggregation results', async () => {
    const body = JSON.stringify({
      request: { pipeline: [{ source: { guides: null } }, { sort: ['id'] }, { limit: 100 }] },
    });
    const response = await fetch(`${sim.url}/api/v1/aggregation`, {
      method: 'POST',
      headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': 'gzip' },
      body,
    });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const parsed = (await response.json()) as { results: unknown[] };
    expect(parsed.results).toHaveLength(100);
  });

  it('does not gzip when q=0', async () => {
    const result = await rawGet('/api/v1/segment', { 'accept-encoding': 'gzip;q=0' });
    expect(result.headers['content-encoding']).toBeUndefined();
    expect(Array.isArray(JSON.parse(result.body.toString()))).toBe(true);
  });
});
