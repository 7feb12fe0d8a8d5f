import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import { startSmallSimulator, rawRequest } from './helpers';

let sim: Simulator;
const EU_KEY = 'eu-key-0000-1111';

beforeAll(async () => {
  sim = await startSmallSimulator({ apiKeys: ['plain-key-1234'], keyRegions: { [EU_KEY]: 'eu' } });
});
afterAll(async () => {
  await sim.close();
});

describe('integration key', () => {
  it('missing key is 403', async () => {
    const response = await fetch(`${sim.url}/api/v1/guide`);
    expect(response.status).toBe(403);
  });

  it('unknown key is 403', async () => {
    const response = await fetch(`${sim.url}/api/v1/guide`, {
      headers: { 'x-pendo-integration-key': 'not-a-key' },
    });
    expect(response.status).toBe(403);
  });

  it('aggregation without key is 403', async () => {
    const response = await fetch(`${sim.url}/api/v1/aggregation`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(403);
  });

  it('header name is case-insensitive', async () => {
    const { status } = await rawRequest(sim, {
      path: '/api/v1/guide',
      headers: { 'X-Pendo-Integration-Key': 'plain-key-1234' },
    });
    expect(status).toBe(200);
  });

  it('apiKey is the first configured key', () => {
    expect(sim.apiKey).toBe('plain-key-1234');
    expect(sim.apiKeys).toContain(EU_KEY);
  });

  it('default key is UUID-shaped', async () => {
    const other = await startSmallSimulator();
    try {
      expect(other.apiKey).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    } finally {
      await other.close();
    }
  });
});

describe('key regions', () => {
  const cases: [host: string, key: string, status: number][] = [
    ['app.eu.pendo.io', EU_KEY, 200],
    ['app.pendo.io', EU_KEY, 403],
    ['us1.app.pendo.io', EU_KEY, 403],
    ['app.jpn.pendo.io', EU_KEY, 403],
    ['app.au.pendo.io:443', EU_KEY, 403],
    ['127.0.0.1', EU_KEY, 200],
    ['localhost:8080', EU_KEY, 200],
    ['app.pendo.io', 'plain-key-1234', 200],
    ['app.eu.pendo.io', 'plain-key-1234', 200],
  ];
  it.each(cases)('host %s with key %s gives %i', async (host, key, status) => {
    const response = await rawRequest(sim, {
      path: '/api/v1/page',
      headers: { host, 'x-pendo-integration-key': key },
    });
    expect(response.status).toBe(status);
  });
});
