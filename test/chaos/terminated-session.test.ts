import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/transaction';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';

// A session terminated (or a server restarted) between two statements of a transaction makes
// the client emit an 'error' event. Without a listener that event crashes the process, which
// vitest reports as an unhandled error.
describe('transaction whose session is terminated', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.pool.query('create table items (id int primary key)');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('retries in a new session', async () => {
    const pids: number[] = [];
    const attempts = await withTransaction(
      database.pool,
      async (client) => {
        const backend = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
        pids.push(backend.rows[0]?.pid ?? 0);
        await client.query('insert into items values (1)');
        if (pids.length === 1) {
          await database.pool.query('select pg_terminate_backend($1)', [pids[0]]);
          // The server's message arrives while no statement runs on the client.
          await sleep(200);
        }
        await client.query('insert into items values (2)');
        return pids.length;
      },
      { baseDelayMs: 10 },
    );
    expect(attempts).toBe(2);
    expect(pids[1]).not.toBe(pids[0]);
    const rows = await database.pool.query<{ id: number }>('select id from items order by id');
    expect(rows.rows.map((row) => row.id)).toEqual([1, 2]);
  });
});
