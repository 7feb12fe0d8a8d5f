import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyEventRows, resetEventStage } from '../../src/db/events/stage-rows';
import { createPool } from '../../src/db/pool';
import { watchClient } from '../../src/db/watch-client';
import { silentLogger } from '../../src/log';
import { createPendoClient } from '../../src/pendo/client';
import { createLimiter } from '../../src/pendo/limiter';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import type { PendoRecord } from '../../src/types';
import { startChaosServer } from './chaos-server';
import type { ChaosServer } from './chaos-server';

/** Time the server stays down in each restart, in milliseconds. */
const DOWN_MS = 300;

/** Resolves once `client` has emitted 'end', at once when it already has. */
function endOf(client: pg.PoolClient, alreadyEnded: () => boolean): Promise<void> {
  if (alreadyEnded()) return Promise.resolve();
  return new Promise((resolve) => client.once('end', () => resolve()));
}

// A failed COPY must close the Pendo response it was reading, because the response occupies
// one of the shared request slots. Once every slot is taken, the sync waits forever.
describe('COPY after a database restart', () => {
  let server: ChaosServer;
  let simulator: Simulator;
  let pool: pg.Pool;

  beforeAll(async () => {
    server = await startChaosServer();
    simulator = await startSimulator({ seed: 'slot-test', sizes: { visitors: 50 } });
    pool = createPool(await server.createDatabase(), { logger: silentLogger, maxConnections: 2 });
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await simulator?.close();
    await server?.close();
  });

  it('frees the request slot', async () => {
    const limiter = createLimiter(1);
    const pendo = createPendoClient({
      apiKey: simulator.apiKey,
      baseUrl: simulator.url,
      logger: silentLogger,
      maxAttempts: 1,
      limiter,
    });
    const client = await pool.connect();
    let ended = false;
    client.once('end', () => {
      ended = true;
    });
    const watched = watchClient(client);
    let restarted = false;
    try {
      await resetEventStage(client);
      // Restarts the server after the first row arrived, before the COPY is sent.
      async function* rowsAcrossRestart(): AsyncGenerator<PendoRecord> {
        for await (const batch of pendo.aggregate([{ source: { visitors: null } }])) {
          for (const row of batch) {
            if (!restarted) {
              restarted = true;
              await server.restart('immediate', DOWN_MS);
              await endOf(client, () => ended);
            }
            yield row;
          }
        }
      }

      const copying = copyEventRows(client, rowsAcrossRestart());
      await expect(copying).rejects.toThrow(/not queryable/);
    } finally {
      watched.release(true);
    }

    expect(restarted).toBe(true);
    expect(watched.lostError).toBeDefined();
    expect(limiter.active).toBe(0);
    // The freed slot serves the next request.
    await expect(pendo.count([{ source: { visitors: null } }])).resolves.toBe(50);
  });
});
