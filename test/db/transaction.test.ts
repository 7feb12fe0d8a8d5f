import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/transaction';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';

function sqlError(code: string): Error {
  return Object.assign(new Error(`simulated error ${code}`), { code });
}

describe('withTransaction', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.pool.query('create table items (id int primary key)');
  });

  afterAll(async () => {
    await database.drop();
  });

  beforeEach(async () => {
    await database.pool.query('truncate items');
  });

  async function itemIds(): Promise<number[]> {
    const result = await database.pool.query<{ id: number }>('select id from items order by id');
    return result.rows.map((row) => row.id);
  }

  it('commits the result', async () => {
    const value = await withTransaction(database.pool, async (client) => {
      await client.query('insert into items values (1)');
      return 'done';
    });
    expect(value).toBe('done');
    expect(await itemIds()).toEqual([1]);
  });

  it('rolls back on error', async () => {
    await expect(
      withTransaction(database.pool, async (client) => {
        await client.query('insert into items values (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await itemIds()).toEqual([]);
  });

  it('does not retry other errors', async () => {
    let attempts = 0;
    await expect(
      withTransaction(database.pool, async (client) => {
        attempts++;
        await client.query('insert into items values (1), (1)');
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(attempts).toBe(1);
  });

  it('retries a serialization failure', async () => {
    let attempts = 0;
    await withTransaction(
      database.pool,
      async (client) => {
        attempts++;
        await client.query('insert into items values ($1)', [attempts]);
        if (attempts < 3) throw sqlError('40001');
      },
      { baseDelayMs: 1 },
    );
    expect(attempts).toBe(3);
    expect(await itemIds()).toEqual([3]);
  });

  it('gives up after maxAttempts', async () => {
    let attempts = 0;
    await expect(
      withTransaction(
        database.pool,
        () => {
          attempts++;
          return Promise.reject(sqlError('40P01'));
        },
        { maxAttempts: 2, baseDelayMs: 1 },
      ),
    ).rejects.toThrow(/40P01/);
    expect(attempts).toBe(2);
  });

  it('retries on a new connection after the server ends one', async () => {
    const backends: number[] = [];
    await withTransaction(
      database.pool,
      async (client) => {
        const pid = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
        backends.push(pid.rows[0]?.pid ?? 0);
        await client.query('insert into items values ($1)', [backends.length]);
        if (backends.length === 1)
          await client.query('select pg_terminate_backend(pg_backend_pid())');
      },
      { baseDelayMs: 1 },
    );
    expect(backends).toHaveLength(2);
    expect(backends[1]).not.toBe(backends[0]);
    expect(await itemIds()).toEqual([2]);
    // The pool still works: the broken client was destroyed, not returned.
    expect(await database.pool.query('select 1 as one')).toMatchObject({ rows: [{ one: 1 }] });
  });
});
