import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PendoApiError, PendoResponseError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { createPendoClient } from '../../src/pendo/client';
import type { PendoClient } from '../../src/pendo/client';
import type { FaultSpec, Simulator } from '../../src/simulator/index';
import type { PendoRecord } from '../../src/types';
import { startSmallSimulator } from '../simulator/helpers';
import { collect, rejectionOf } from './helpers/test-server';

const BODY_IDLE_TIMEOUT_MS = 200;
const PIPELINE = [{ source: { guides: null } }, { sort: ['id'] }];

let sim: Simulator;
let client: PendoClient;

beforeAll(async () => {
  sim = await startSmallSimulator();
  client = createPendoClient({
    apiKey: sim.apiKey,
    baseUrl: sim.url,
    logger: silentLogger,
    bodyIdleTimeoutMs: BODY_IDLE_TIMEOUT_MS,
    timeoutMs: 5_000,
    maxAttempts: 3,
    retryBaseMs: 5,
    retryMaxMs: 20,
  });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.clearFaults();
});

function listGuides() {
  return collect(client.listObjects('guide', { expandAllApps: true }));
}

function aggregateGuides() {
  return collect(client.aggregate(PIPELINE));
}

function idsOf(records: PendoRecord[]): string[] {
  return records.map((record) => String(record.id));
}

interface BodyFaultCase {
  name: string;
  fault: Omit<FaultSpec, 'path'>;
  type: typeof PendoApiError | typeof PendoResponseError;
  parts: string[];
}

const BODY_FAULTS: BodyFaultCase[] = [
  {
    name: 'a truncated body',
    fault: { truncateAfterBytes: 900 },
    type: PendoResponseError,
    parts: ['is truncated', 'ended at byte 900'],
  },
  {
    name: 'an empty body',
    fault: { truncateAfterBytes: 0 },
    type: PendoResponseError,
    parts: ['ended at byte 0 without any JSON value'],
  },
  {
    name: 'corrupt gzip',
    fault: { corruptGzipAfterBytes: 700 },
    type: PendoApiError,
    parts: [
      'compressed response body',
      'is corrupt after 700 decompressed bytes',
      'invalid block type',
    ],
  },
  {
    name: 'a stalled body',
    fault: { slowBodyMs: 5_000 },
    type: PendoApiError,
    parts: [`sent no data for ${BODY_IDLE_TIMEOUT_MS} ms`],
  },
  {
    name: 'a reset connection',
    fault: { resetAfterBytes: 800 },
    type: PendoApiError,
    parts: ['failed after'],
  },
  {
    name: 'an HTML page with status 200',
    fault: { invalidJson: 'html' },
    type: PendoResponseError,
    parts: ['Invalid JSON', 'at byte 0', 'an HTML page'],
  },
  {
    name: 'garbage in the array',
    fault: { invalidJson: 'garbage' },
    type: PendoResponseError,
    parts: ['Invalid JSON', 'unexpected character "<"'],
  },
];

describe.each([
  { endpoint: 'list', path: 'guide', read: listGuides },
  { endpoint: 'aggregation', path: 'aggregation', read: aggregateGuides },
])('broken $endpoint bodies', ({ path, read }) => {
  it.each(BODY_FAULTS)('fails $name as retryable', async ({ fault, type, parts }) => {
    sim.injectFault({ path, ...fault });
    const error = await rejectionOf(read());
    expect(error).toBeInstanceOf(type);
    for (const part of parts) expect(error.message).toContain(part);
    expect((error as PendoApiError | PendoResponseError).retryable).toBe(true);
    expect(error.message).not.toContain(sim.apiKey);
  });

  it.each(BODY_FAULTS)('reads whole after $name', async ({ fault }) => {
    const expected = idsOf(await read());
    sim.injectFault({ path, ...fault });
    await rejectionOf(read());
    expect(idsOf(await read())).toEqual(expected);
  });
});

describe('retried statuses', () => {
  it.each([
    { name: '408 with Pendo text', fault: { status: 408 } },
    { name: '502 HTML page', fault: { status: 502 } },
    { name: '503 HTML page', fault: { status: 503 } },
    { name: '429 Retry-After seconds', fault: { status: 429, retryAfter: { seconds: 0 } } },
    {
      name: '503 Retry-After date',
      fault: { status: 503, retryAfter: { seconds: 1, format: 'http-date' as const } },
    },
  ])('retries $name', async ({ fault }) => {
    const expected = idsOf(await aggregateGuides());
    const before = sim.requestLog.length;
    sim.injectFault({ path: 'aggregation', ...fault });
    expect(idsOf(await aggregateGuides())).toEqual(expected);
    const statuses = sim.requestLog.slice(before).map((entry) => entry.status);
    expect(statuses).toEqual([fault.status, 200]);
  });

  it('names the 408 text when retries run out', async () => {
    sim.injectFault({ path: 'aggregation', status: 408, times: 3 });
    const error = await rejectionOf(aggregateGuides());
    expect(error).toBeInstanceOf(PendoApiError);
    expect(error.message).toContain('after 3 attempts');
    expect(error.message).toContain('The call took too long and timed out.');
    expect((error as PendoApiError).retryable).toBe(true);
  });

  it('quotes the 503 HTML page', async () => {
    sim.injectFault({ path: 'guide', status: 503, times: 3 });
    const error = await rejectionOf(listGuides());
    expect(error.message).toContain('HTTP 503');
    expect(error.message).toContain('<h1>503 Service Unavailable</h1>');
    expect((error as PendoApiError).status).toBe(503);
  });
});

describe('getJson bodies', () => {
  it('fails a firewall page as retryable', async () => {
    sim.injectFault({ path: 'metadata', invalidJson: 'html' });
    const error = await rejectionOf(client.getJson('/api/v1/metadata/schema/visitor'));
    expect(error).toBeInstanceOf(PendoResponseError);
    expect(error.message).toContain('Invalid JSON');
    expect((error as PendoResponseError).retryable).toBe(true);
  });
});
