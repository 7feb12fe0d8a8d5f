import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import { getText, postAggregation, startSmallSimulator } from './helpers';

let sim: Simulator;
const PIPELINE = { request: { pipeline: [{ source: { guides: null } }, { limit: 3 }] } };

beforeEach(async () => {
  sim = await startSmallSimulator();
});
afterEach(async () => {
  await sim.close();
});

describe('faults', () => {
  it('429 with Retry-After, then success', async () => {
    sim.injectFault({ path: 'aggregation', status: 429, headers: { 'Retry-After': '1' } });
    const response = await fetch(`${sim.url}/api/v1/aggregation`, {
      method: 'POST',
      headers: { 'x-pendo-integration-key': sim.apiKey },
      body: JSON.stringify(PIPELINE),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.text()).toBe('Too Many Requests');
    const retry = await postAggregation(sim, PIPELINE);
    expect(retry.status).toBe(200);
  });

  it('500 with an HTML body', async () => {
    sim.injectFault({ path: 'guide', status: 500 });
    const { status, text, headers } = await getText(sim, '/api/v1/guide');
    expect(status).toBe(500);
    expect(headers.get('content-type')).toContain('text/html');
    expect(text).toContain('<html>');
  });

  it('custom body and times', async () => {
    sim.injectFault({ path: 'page', status: 503, body: 'busy', times: 2 });
    expect((await getText(sim, '/api/v1/page')).text).toBe('busy');
    expect((await getText(sim, '/api/v1/page')).status).toBe(503);
    expect((await getText(sim, '/api/v1/page')).status).toBe(200);
  });

  it('faults match only their path and method', async () => {
    sim.injectFault({ path: 'feature', method: 'GET', status: 502 });
    expect((await getText(sim, '/api/v1/page')).status).toBe(200);
    expect((await postAggregation(sim, PIPELINE)).status).toBe(200);
    expect((await getText(sim, '/api/v1/feature')).status).toBe(502);
  });

  it('wildcard path matches any endpoint', async () => {
    sim.injectFault({ path: '*', status: 408 });
    const { status, text } = await getText(sim, '/api/v1/segment');
    expect(status).toBe(408);
    expect(text).toContain('timed out');
  });

  it('connection reset after some bytes', async () => {
    sim.injectFault({ path: 'guide', resetAfterBytes: 5000 });
    const response = await fetch(`${sim.url}/api/v1/guide?expand=*`, {
      headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': 'identity' },
    });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    const after = await getText(sim, '/api/v1/guide');
    expect(after.status).toBe(200);
  });

  it('connection reset works with gzip', async () => {
    sim.injectFault({ path: 'feature', resetAfterBytes: 20_000 });
    const response = await fetch(`${sim.url}/api/v1/feature?expand=*`, {
      headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': 'gzip' },
    });
    await expect(response.text()).rejects.toThrow();
  });

  it('duplicate records repeat ids in one response', async () => {
    const plain = JSON.parse((await getText(sim, '/api/v1/feature')).text) as { id: string }[];
    sim.injectFault({ path: 'feature', duplicateRecords: 3 });
    const doubled = JSON.parse((await getText(sim, '/api/v1/feature')).text) as { id: string }[];
    expect(doubled).toHaveLength(plain.length + 3);
    expect(new Set(doubled.map((record) => record.id)).size).toBe(plain.length);
  });

  it('duplicate rows in aggregation results', async () => {
    sim.injectFault({ path: 'aggregation', duplicateRecords: 2 });
    const { text } = await postAggregation(sim, PIPELINE);
    const results = (JSON.parse(text) as { results: { id: string }[] }).results;
    expect(results.map((row) => row.id)).toEqual([
      ...results.slice(0, 3).map((row) => row.id),
      results[0]?.id,
      results[1]?.id,
    ]);
  });

  it('delay holds the response', async () => {
    sim.injectFault({ path: 'segment', delayMs: 300 });
    const started = Date.now();
    expect((await getText(sim, '/api/v1/segment')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('faults injected over HTTP', async () => {
    const response = await fetch(`${sim.url}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: 'report', status: 429 }),
    });
    expect(((await response.json()) as { pending: number }).pending).toBe(1);
    expect((await getText(sim, '/api/v1/report')).status).toBe(429);
  });

  it('invalid fault is rejected', () => {
    expect(() => sim.injectFault({ path: 'guide', times: 0 })).toThrow(/times/);
    expect(() => sim.injectFault({ path: '', status: 500 })).toThrow(/path/);
  });

  it('clearFaults empties the queue', async () => {
    sim.injectFault({ path: 'guide', status: 500, times: 5 });
    sim.clearFaults();
    expect((await getText(sim, '/api/v1/guide')).status).toBe(200);
  });
});

describe('request log', () => {
  it('records method, path, status and pipeline', async () => {
    sim.injectFault({ path: 'aggregation', status: 429 });
    await postAggregation(sim, PIPELINE);
    await postAggregation(sim, PIPELINE);
    await getText(sim, '/api/v1/guide?expand=*');
    await fetch(`${sim.url}/api/v1/page`);
    const log = sim.requestLog;
    expect(log.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'POST /api/v1/aggregation 429',
      'POST /api/v1/aggregation 200',
      'GET /api/v1/guide 200',
      'GET /api/v1/page 403',
    ]);
    expect(log[0]?.fault).toBe('429');
    expect(log[1]?.pipeline).toEqual({ source: 'guides', operators: ['limit'] });
    expect(log[1]?.rows).toBe(3);
    expect(log[2]?.query).toBe('expand=*');
    expect(log[2]?.rows).toBe(sim.counts().guides.total);
  });

  it('control requests are not logged', async () => {
    await fetch(`${sim.url}/_simulator/counts`);
    expect(sim.requestLog).toHaveLength(0);
  });
});
