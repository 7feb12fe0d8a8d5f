import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log';
import { createPendoClient } from '../../src/pendo/client';
import { verifyEntity } from '../../src/verify/verify-catalog';
import { verifyEventStream } from '../../src/verify/verify-events';
import { runEventSync, TIME_ZONE } from '../sync/events/helpers';
import type { SyncHarness } from '../sync/helpers';
import { runTestSync, startHarness } from '../sync/helpers';

/** Maximum time to wait for a session to appear in pg_stat_activity. */
const FIND_TIMEOUT_MS = 20_000;

/**
 * Terminates the first session of the pool's database, other than the caller's, that
 * matches `condition` (fixed SQL on pg_stat_activity), polling until one appears or
 * FIND_TIMEOUT_MS passes. Returns the state the session was in, or undefined when none appeared.
 */
async function terminateSession(pool: pg.Pool, condition: string): Promise<string | undefined> {
  const deadline = Date.now() + FIND_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const found = await pool.query<{ pid: number; state: string }>(
      `select pid, state from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and ${condition}
       limit 1`,
    );
    const session = found.rows[0];
    if (session) {
      const ended = await pool.query<{ terminated: boolean }>(
        'select pg_terminate_backend($1) as terminated',
        [session.pid],
      );
      if (ended.rows[0]?.terminated) return session.state;
    }
    await sleep(5);
  }
  return undefined;
}

// A client that loses its connection while it is checked out but runs no statement emits
// 'error'. Without a listener the process crashes, which vitest reports as an unhandled error.
describe('event window whose session is terminated', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({ eventsPerDay: 200 });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('retries the window and converges', async () => {
    // Slow replies keep the window's client idle, after it emptied its staging table, while
    // it waits for Pendo's rows.
    harness.simulator.injectFault({ path: 'aggregation', delayMs: 400, times: 10 });
    const syncing = runEventSync(harness, {
      streams: ['page_events'],
      sinceBeforeNowMs: 3 * 86_400_000,
    });
    const state = await terminateSession(
      harness.pool,
      // Only the statement that empties the staging table: an idle pooled connection whose
      // last statement dropped it belongs to no window, so ending it tests nothing.
      `state = 'idle' and query ilike 'truncate pg_temp.pendo_sync_event_stage%'`,
    );
    const run = await syncing;

    expect(state).toBe('idle');
    const result = run.stream('page_events');
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('completed');
    const retries = run.logLines.filter((line) => line.includes('window failed, retry'));
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]).toContain('the database connection was lost');

    const pendo = createPendoClient({
      apiKey: harness.simulator.apiKey,
      baseUrl: harness.simulator.url,
      logger: silentLogger,
    });
    const drift = await verifyEventStream(harness.pool, pendo, 'page_events', {
      appIds: 'all',
      timeZone: TIME_ZONE,
    });
    expect(drift.drifted).toEqual([]);
    expect(drift.finalDays).toBeGreaterThan(0);
  });
});

describe('verify whose session is terminated', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({ eventsPerDay: 200 });
    await runTestSync(harness, { entities: ['guides'] });
    await runEventSync(harness, {
      streams: ['page_events'],
      sinceBeforeNowMs: 3 * 86_400_000,
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  function slowPendo() {
    harness.simulator.injectFault({ path: 'aggregation', delayMs: 400, times: 1 });
    return createPendoClient({
      apiKey: harness.simulator.apiKey,
      baseUrl: harness.simulator.url,
      logger: silentLogger,
      maxAttempts: 1,
    });
  }

  it('fails a catalog check with the cause', async () => {
    const checking = verifyEntity(harness.pool, slowPendo(), 'guides', 'all');
    const outcome = checking.then(
      () => undefined,
      (error: unknown) => error,
    );
    const state = await terminateSession(
      harness.pool,
      `state = 'idle in transaction' and query ilike '%pendo_verify_keys%'`,
    );
    const error = await outcome;

    expect(state).toBe('idle in transaction');
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^the database connection was lost: /);
    // The pool still works, because the broken client was closed instead of reused.
    const again = await verifyEntity(harness.pool, slowPendo(), 'guides', 'all');
    expect(again.missing).toBe(0);
  });

  // Pendo's totals are read last, so a session lost then may leave no statement to fail.
  it('ends an event check without crashing', async () => {
    const checking = verifyEventStream(harness.pool, slowPendo(), 'page_events', {
      appIds: 'all',
      timeZone: TIME_ZONE,
    });
    const outcome = checking.then(
      () => undefined,
      (error: unknown) => error,
    );
    const state = await terminateSession(harness.pool, `state = 'idle in transaction'`);
    const error = await outcome;

    expect(state).toBe('idle in transaction');
    if (error !== undefined) {
      expect((error as Error).message).toMatch(/^the database connection was lost: /);
    }
  });
});
