import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate';
import { CATALOG_TABLES } from '../../src/db/rows';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';

describe('migrate', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });

  afterAll(async () => {
    await database.drop();
  });

  it('applies every migration once', async () => {
    const applied = await migrate(database.pool);
    expect(applied.length).toBeGreaterThanOrEqual(2);
    expect(applied).toEqual([...applied].sort());
    const recorded = await database.pool.query<{ name: string }>(
      'select name from pendo_sync_migrations order by name',
    );
    expect(recorded.rows.map((row) => row.name)).toEqual(applied);
  });

  it('applies nothing the second time', async () => {
    expect(await migrate(database.pool)).toEqual([]);
  });

  it('runs concurrently without errors', async () => {
    const results = await Promise.all([migrate(database.pool), migrate(database.pool)]);
    expect(results).toEqual([[], []]);
  });

  it('creates every catalog table with its shared columns', async () => {
    for (const table of Object.values(CATALOG_TABLES)) {
      const columns = await database.pool.query<{ column_name: string; is_nullable: string }>(
        `select column_name, is_nullable from information_schema.columns where table_name = $1`,
        [table],
      );
      const byName = new Map(columns.rows.map((row) => [row.column_name, row.is_nullable]));
      for (const name of ['id', 'app_id', 'app_ids', 'name', 'raw', 'first_seen_at', 'synced_at']) {
        expect(byName.has(name), `${table}.${name}`).toBe(true);
      }
      expect(byName.get('raw'), `${table}.raw`).toBe('NO');
      expect(byName.get('deleted_at'), `${table}.deleted_at`).toBe('YES');
    }
  });

  it('comments on every column of the catalog tables', async () => {
    const missing = await database.pool.query<{ table_name: string; column_name: string }>(
      `select c.table_name, c.column_name from information_schema.columns c
       where c.table_schema = current_schema()
         and (c.table_name like 'pendo\\_%' or c.table_name like 'sync\\_%')
         and c.table_name <> 'pendo_sync_migrations'
         and c.column_name not in ('entity', 'id')
         and col_description(format('%I', c.table_name)::regclass, c.ordinal_position) is null`,
    );
    expect(missing.rows).toEqual([]);
  });

  it('applies the SQL files again without errors', async () => {
    // The Supabase CLI may apply the same files; every statement must be idempotent.
    await database.pool.query('delete from pendo_sync_migrations');
    const applied = await migrate(database.pool);
    expect(applied.length).toBeGreaterThanOrEqual(2);
  });
});
