import http from 'node:http';
import { constants, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import { getText, postAggregation, startSmallSimulator } from './helpers';

let sim: Simulator;
const PIPELINE = { request: { pipeline: [{ source: { guides: null } }, { limit: 30 }] } };

beforeEach(async () => {
  sim = await startSmallSimulator();
});
afterEach(async () => {
  await sim.close();
});

interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** True when the response ended cleanly rather than by a closed connection. */
  complete: boolean;
}

/** GETs a path with node:http and keeps the raw (still compressed) body bytes. */
function rawGet(path: string, acceptEncoding = 'identity'): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${sim.url}${path}`,
      { headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': acceptEncoding } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            complete: response.complete,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

describe('truncated bodies', () => {
  it('ends a plain body cleanly early', async () => {
    const full = await rawGet('/api/v1/guide?expand=*');
    sim.injectFault({ path: 'guide', truncateAfterBytes: 700 });
    const cut = await rawGet('/api/v1/guide?expand=*');
    expect(cut.status).toBe(200);
    expect(cut.complete).toBe(true);
    expect(cut.headers['transfer-encoding']).toBe('chunked');
    expect(cut.body.length).toBe(700);
    expect(cut.body.toString()).toBe(full.body.subarray(0, 700).toString());
    expect(() => JSON.parse(cut.body.toString()) as unknown).toThrow();
  });

  it('ends a gzip body with a valid stream', async () => {
    const full = await rawGet('/api/v1/feature?expand=*', 'gzip');
    sim.injectFault({ path: 'feature', truncateAfterBytes: 3000 });
    const cut = await rawGet('/api/v1/feature?expand=*', 'gzip');
    expect(cut.complete).toBe(true);
    expect(cut.headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(cut.body).toString();
    expect(text).toBe(gunzipSync(full.body).subarray(0, 3000).toString());
  });

  it('cuts the aggregation envelope through fetch', async () => {
    sim.injectFault({ path: 'aggregation', truncateAfterBytes: 500 });
    const { status, text } = await postAggregation(sim, PIPELINE);
    expect(status).toBe(200);
    expect(text).toHaveLength(500);
    expect(text.startsWith('{"startTime":')).toBe(true);
  });

  it('leaves a shorter body whole', async () => {
    sim.injectFault({ path: 'segment', truncateAfterBytes: 10_000_000 });
    const { text } = await getText(sim, '/api/v1/segment');
    expect(JSON.parse(text)).toBeInstanceOf(Array);
  });
});

describe('invalid JSON', () => {
  it('sends a firewall page with status 200', async () => {
    sim.injectFault({ path: 'aggregation', invalidJson: 'html' });
    const { status, text, contentType } = await postAggregation(sim, PIPELINE);
    expect(status).toBe(200);
    expect(contentType).toContain('text/html');
    expect(text).toContain('<html>');
    expect(sim.requestLog[0]?.fault).toBe('200');
  });

  it('inserts garbage after the first record', async () => {
    sim.injectFault({ path: 'report', invalidJson: 'garbage' });
    const { status, text } = await getText(sim, '/api/v1/report');
    expect(status).toBe(200);
    expect(text).toMatch(/^\[\{.*\}<!-- upstream sent an incomplete response -->,\{/);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('inserts garbage into empty results', async () => {
    sim.injectFault({ path: 'aggregation', invalidJson: 'garbage' });
    const empty = { request: { pipeline: [{ source: { guides: null } }, { limit: 0 }] } };
    const { text } = await postAggregation(sim, empty);
    expect(text).toMatch(/"results":\[<!--.*-->\]\}$/);
  });
});

describe('corrupt gzip', () => {
  it('goes bad after the given bytes', async () => {
    sim.injectFault({ path: 'feature', corruptGzipAfterBytes: 2000 });
    const reply = await rawGet('/api/v1/feature?expand=*', 'gzip');
    expect(reply.complete).toBe(true);
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(() => gunzipSync(reply.body)).toThrow(/invalid block type/);
    const full = await rawGet('/api/v1/feature?expand=*', 'identity');
    // Without the 16 invalid bytes, the stream inflates to the first 2000 body bytes.
    const inflated = gunzipSync(reply.body.subarray(0, -16), {
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    expect(inflated.toString()).toBe(full.body.subarray(0, 2000).toString());
  });

  it('sends gzip without accept-encoding', async () => {
    sim.injectFault({ path: 'page', corruptGzipAfterBytes: 100 });
    const reply = await rawGet('/api/v1/page', 'identity');
    expect(reply.headers['content-encoding']).toBe('gzip');
  });

  it('fails a fetch body', async () => {
    sim.injectFault({ path: 'aggregation', corruptGzipAfterBytes: 300 });
    await expect(postAggregation(sim, PIPELINE)).rejects.toThrow();
  });

  it('breaks a body shorter than the offset at its end', async () => {
    sim.injectFault({ path: 'segment', corruptGzipAfterBytes: 10_000_000 });
    const reply = await rawGet('/api/v1/segment', 'gzip');
    expect(() => gunzipSync(reply.body)).toThrow(/invalid block type/);
  });
});

describe('slow bodies', () => {
  /** GETs a path and returns its body reader, typed for the test. */
  async function openBody(path: string): Promise<ReadableStreamDefaultReader<Uint8Array>> {
    const response = await fetch(`${sim.url}${path}`, {
      headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': 'identity' },
    });
    const reader = response.body?.getReader();
    if (!reader) throw new Error(`GET ${path} returned no body`);
    return reader;
  }

  it('holds the rest of the body', async () => {
    // The body is under 64 KiB, so it goes out in one flush, which the fault splits in half.
    const total = Buffer.byteLength((await getText(sim, '/api/v1/segment')).text);
    sim.injectFault({ path: 'segment', slowBodyMs: 60_000 });
    const reader = await openBody('/api/v1/segment');
    const first = await reader.read();
    expect(first.done).toBe(false);
    const entry = sim.requestLog[1];
    expect(entry?.fault).toBe('modified');
    expect(entry?.durationMs).toBeUndefined();
    expect(entry?.bytes).toBe(Math.floor(total / 2));
    await reader.cancel();
  });

  it('sends the whole body after the pause', async () => {
    sim.injectFault({ path: 'guide', slowBodyMs: 50 });
    const reader = await openBody('/api/v1/guide');
    const decoder = new TextDecoder();
    let text = '';
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      text += decoder.decode(result.value, { stream: true });
    }
    expect(JSON.parse(text + decoder.decode())).toBeInstanceOf(Array);
  });

  it('stops when the client leaves', async () => {
    sim.injectFault({ path: 'page', slowBodyMs: 60_000 });
    const reader = await openBody('/api/v1/page');
    await reader.read();
    await reader.cancel();
    expect((await getText(sim, '/api/v1/page')).status).toBe(200);
  });
});

describe('status faults', () => {
  it('sends Retry-After as seconds', async () => {
    sim.injectFault({ path: 'guide', status: 429, retryAfter: { seconds: 3 } });
    const { headers } = await getText(sim, '/api/v1/guide');
    expect(headers.get('retry-after')).toBe('3');
  });

  it('sends Retry-After as an HTTP date', async () => {
    const before = Date.now();
    sim.injectFault({
      path: 'guide',
      status: 503,
      retryAfter: { seconds: 30, format: 'http-date' },
    });
    const { headers } = await getText(sim, '/api/v1/guide');
    const value = headers.get('retry-after') ?? '';
    expect(value).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const seconds = (Date.parse(value) - before) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(29);
    expect(seconds).toBeLessThanOrEqual(31);
  });

  it("sends Pendo's 408 text", async () => {
    sim.injectFault({ path: 'aggregation', status: 408 });
    const { status, text } = await postAggregation(sim, PIPELINE);
    expect(status).toBe(408);
    expect(text).toBe('The call took too long and timed out.');
  });

  it.each([502, 503])('sends an HTML page with %s', async (status) => {
    sim.injectFault({ path: 'feature', status });
    const reply = await getText(sim, '/api/v1/feature');
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toContain('text/html');
    expect(reply.text).toContain(`<h1>${status} `);
  });

  it('rejects invalid body fault options', () => {
    expect(() => sim.injectFault({ path: 'guide', truncateAfterBytes: -1 })).toThrow(
      /truncateAfterBytes/,
    );
    expect(() => sim.injectFault({ path: 'guide', slowBodyMs: 1.5 })).toThrow(/slowBodyMs/);
    expect(() =>
      sim.injectFault({ path: 'guide', invalidJson: 'xml' as unknown as 'html' }),
    ).toThrow(/invalidJson/);
    expect(() =>
      sim.injectFault({
        path: 'guide',
        retryAfter: { seconds: 1, format: 'epoch' as unknown as 'seconds' },
      }),
    ).toThrow(/retryAfter.format/);
  });
});
