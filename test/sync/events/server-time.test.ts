import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPendoClient } from '../../../src/pendo/client';
import { silentLogger } from '../../../src/log';
import { startSimulator } from '../../../src/simulator/index';
import type { Simulator } from '../../../src/simulator/index';
import { createRecordingLogger } from '../helpers';
import { startTestServer, sendJson } from '../../pendo/helpers/test-server';

const NOW = Date.parse('2026-11-22T15:00:00Z');
const HOUR_MS = 3_600_000;

describe("Pendo's clock", () => {
  let simulator: Simulator;

  beforeAll(async () => {
    simulator = await startSimulator({ startTime: NOW, seed: 'server-time' });
  });

  afterAll(async () => {
    await simulator?.close();
  });

  it('reads the simulated clock from the Date header', async () => {
    const client = createPendoClient({
      apiKey: simulator.apiKey,
      baseUrl: simulator.url,
      logger: silentLogger,
    });
    const first = await client.serverTime();
    expect(first).toBeGreaterThanOrEqual(NOW);
    expect(first).toBeLessThan(NOW + 10_000);
    expect(simulator.requestLog).toHaveLength(1);

    simulator.clock.advance(5 * HOUR_MS);
    // Until a response shows the new time, the estimate moves with the local clock only.
    expect(await client.serverTime()).toBeLessThan(NOW + HOUR_MS);
    await client.getJson('/api/v1/metadata/schema/visitor');
    const later = await client.serverTime();
    expect(later).toBeGreaterThanOrEqual(NOW + 5 * HOUR_MS);
    expect(later).toBeLessThan(NOW + 5 * HOUR_MS + 10_000);
  });

  it('falls back to the local clock without a Date header', async () => {
    const server = await startTestServer((_request, response) => {
      response.sendDate = false;
      sendJson(response, {});
    });
    const { logger, lines } = createRecordingLogger();
    try {
      const client = createPendoClient({ apiKey: 'key', baseUrl: server.url, logger });
      const before = Date.now();
      const time = await client.serverTime();
      expect(time).toBeGreaterThanOrEqual(before);
      expect(time).toBeLessThanOrEqual(Date.now());
      expect(lines.some((line) => line.includes('no valid Date header'))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
