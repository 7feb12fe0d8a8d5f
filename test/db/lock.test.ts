import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_CLASS, SYNC_LOCK_ID } from '../../src/db/advisory-locks';
import { SyncLockLostError, acquireSyncLock } from '../../src/db/lock';
import type { SyncLock } from '../../src/db/lock';
import { SyncLockedError } from '../../src/errors';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';

/** Tries to take the lock every 20 ms until it succeeds or `timeoutMs` has passed. */
async function acquireWithin(database: TestDatabase, timeoutMs: number): Promise<SyncLock> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await acquireSyncLock(database.pool);
    } catch (error) {
      if (!(error instanceof SyncLockedError) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('sync lock', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('rejects a second holder', async () => {
    const lock = await acquireSyncLock(database.pool);
    try {
      const second = acquireSyncLock(database.pool);
      await expect(second).rejects.toBeInstanceOf(SyncLockedError);
      await expect(acquireSyncLock(database.pool)).rejects.toThrow(
        /another pendo-sync sync is running against this database \(advisory lock \d+, 1\); wait for it to finish or stop it/,
      );
    } finally {
      await lock.release();
    }
  });

  it('can be taken again after release', async () => {
    const first = await acquireSyncLock(database.pool);
    await first.release();
    await first.release();
    const second = await acquireSyncLock(database.pool);
    await second.check();
    await second.release();
  });

  it('returns rejected clients to the pool', async () => {
    const lock = await acquireSyncLock(database.pool);
    for (let attempt = 0; attempt < 10; attempt++) {
      await expect(acquireSyncLock(database.pool)).rejects.toBeInstanceOf(SyncLockedError);
    }
    expect(database.pool.totalCount).toBeLessThanOrEqual(2);
    await lock.release();
  });

  it('reports a lost connection', async () => {
    const lost: Error[] = [];
    const lock = await acquireSyncLock(database.pool, { onLost: (error) => lost.push(error) });
    await lock.check();
    const holder = await database.pool.query<{ pid: number }>(
      `select pid from pg_locks
       where locktype = 'advisory' and classid = $1 and objid = $2 and granted
         and database = (select oid from pg_database where datname = current_database())`,
      [LOCK_CLASS, SYNC_LOCK_ID],
    );
    expect(holder.rows).toHaveLength(1);
    await database.pool.query('select pg_terminate_backend($1)', [holder.rows[0]?.pid]);

    await expect(lock.check()).rejects.toBeInstanceOf(SyncLockLostError);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(SyncLockLostError);
    await lock.release();

    // The server releases the lock when the terminated backend has exited, a moment later.
    const next = await acquireWithin(database, 2_000);
    await next.release();
  });
});
