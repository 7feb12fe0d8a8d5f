import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mergeRecords } from '../../src/db/merge-records';
import { withTransaction } from '../../src/db/transaction';
import type { PendoRecord } from '../../src/types';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import { guideRecord, largeGuideRecord, reportRecord } from '../helpers/records';

describe('mergeRecords', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  beforeEach(async () => {
    await database.pool.query('truncate pendo_guides, pendo_reports');
  });

  function merge(records: PendoRecord[], now?: Date, entity: 'guides' | 'reports' = 'guides') {
    return withTransaction(database.pool, (client) => mergeRecords(client, entity, records, now));
  }

  async function rowVersions(): Promise<Map<string, string>> {
    const result = await database.pool.query<{ id: string; ctid: string; xmin: string }>(
      'select id, ctid::text, xmin::text from pendo_guides',
    );
    return new Map(result.rows.map((row) => [row.id, `${row.ctid}/${row.xmin}`]));
  }

  it('inserts new records', async () => {
    const counts = await merge([guideRecord('a'), guideRecord('b'), guideRecord('c')]);
    expect(counts).toEqual({ inserted: 3, updated: 0, unchanged: 0, undeleted: 0 });
    const rows = await database.pool.query(
      'select id, state, step_count, published_at from pendo_guides order by id',
    );
    expect(rows.rows).toEqual([
      { id: 'a', state: '_pendingReview_', step_count: 1, published_at: null },
      { id: 'b', state: '_pendingReview_', step_count: 1, published_at: null },
      { id: 'c', state: '_pendingReview_', step_count: 1, published_at: null },
    ]);
  });

  it('returns zero counts for an empty batch', async () => {
    expect(await merge([])).toEqual({ inserted: 0, updated: 0, unchanged: 0, undeleted: 0 });
  });

  it('leaves unchanged rows untouched', async () => {
    const batch = [guideRecord('a'), guideRecord('b')];
    await merge(batch);
    const before = await rowVersions();
    const counts = await merge(batch.map((record) => structuredClone(record)));
    expect(counts).toEqual({ inserted: 0, updated: 0, unchanged: 2, undeleted: 0 });
    expect(await rowVersions()).toEqual(before);
  });

  it('writes no dead tuples for an unchanged batch', async () => {
    const batch = Array.from({ length: 50 }, (_, index) => guideRecord(`g${index}`));
    await merge(batch);
    const statsBefore = await tableStats();
    await merge(batch);
    await merge(batch);
    const statsAfter = await tableStats();
    expect(statsAfter.updates).toBe(statsBefore.updates);
    expect(statsAfter.deadTuples).toBe(statsBefore.deadTuples);
  });

  async function tableStats(): Promise<{ updates: number; deadTuples: number }> {
    // Backends report table statistics with a delay. PostgreSQL 15+ can flush them at once;
    // PostgreSQL 14 sends them at most every 500 ms, so waiting longer is enough there.
    const client = await database.pool.connect();
    try {
      const version = await client.query<{ server_version_num: string }>('show server_version_num');
      if (Number(version.rows[0]?.server_version_num) >= 150000) {
        await client.query('select pg_stat_force_next_flush()');
      } else {
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
      await client.query('select pg_stat_clear_snapshot()');
      const result = await client.query<{ n_tup_upd: string; n_dead_tup: string }>(
        `select n_tup_upd, n_dead_tup from pg_stat_user_tables where relname = 'pendo_guides'`,
      );
      return {
        updates: Number(result.rows[0]?.n_tup_upd),
        deadTuples: Number(result.rows[0]?.n_dead_tup),
      };
    } finally {
      client.release();
    }
  }

  it('rewrites only the changed row', async () => {
    const firstSync = new Date('2025-01-01T00:00:00Z');
    await merge([guideRecord('a'), guideRecord('b')], firstSync);
    const before = await rowVersions();
    const secondSync = new Date('2025-02-01T00:00:00Z');
    const counts = await merge(
      [guideRecord('a'), guideRecord('b', { name: 'Renamed', lastUpdatedAt: 1_700_000_000_000 })],
      secondSync,
    );
    expect(counts).toEqual({ inserted: 0, updated: 1, unchanged: 1, undeleted: 0 });
    const after = await rowVersions();
    expect(after.get('a')).toBe(before.get('a'));
    expect(after.get('b')).not.toBe(before.get('b'));
    const rows = await database.pool.query(
      'select id, name, first_seen_at, synced_at, last_updated_at from pendo_guides order by id',
    );
    expect(rows.rows[0]).toMatchObject({ id: 'a', first_seen_at: firstSync, synced_at: firstSync });
    expect(rows.rows[1]).toMatchObject({
      id: 'b',
      name: 'Renamed',
      first_seen_at: firstSync,
      synced_at: secondSync,
      last_updated_at: new Date(1_700_000_000_000),
    });
  });

  it('keeps the last of duplicate ids', async () => {
    const counts = await merge([
      guideRecord('a', { name: 'first' }),
      guideRecord('b'),
      guideRecord('a', { name: 'second' }),
      guideRecord('a', { name: 'third' }),
    ]);
    expect(counts).toEqual({ inserted: 2, updated: 0, unchanged: 0, undeleted: 0 });
    const row = await database.pool.query(
      `select name, raw->>'name' as raw_name from pendo_guides where id = 'a'`,
    );
    expect(row.rows[0]).toEqual({ name: 'third', raw_name: 'third' });
  });

  it('counts duplicates of a stored id once', async () => {
    await merge([guideRecord('a')]);
    const counts = await merge([guideRecord('a', { name: 'x' }), guideRecord('a', { name: 'y' })]);
    expect(counts).toEqual({ inserted: 0, updated: 1, unchanged: 0, undeleted: 0 });
  });

  it('round-trips awkward strings exactly', async () => {
    const names = [
      'tab\there',
      'line\nbreak',
      'carriage\rreturn\r\n',
      'back\\slash \\N \\\\ \\t',
      `quotes ' " \``,
      'Ünïcödé ñ 中文 العربية',
      'emoji 🚀👩‍💻🇫🇷',
      '{braces}, [brackets], commas',
      '',
      '   spaces   ',
    ];
    const records = names.map((name, index) =>
      guideRecord(`id-${index}-\\"'\t`, { name, nested: { name, list: [name] } }),
    );
    await merge(records);
    const rows = await database.pool.query<{ id: string; name: string; raw: PendoRecord }>(
      'select id, name, raw from pendo_guides',
    );
    const byId = new Map(rows.rows.map((row) => [row.id, row]));
    records.forEach((record, index) => {
      const row = byId.get(record.id as string);
      expect(row?.name, `name ${index}`).toBe(names[index]);
      expect(row?.raw, `raw ${index}`).toEqual(record);
    });
  });

  it('stores NUL characters as U+FFFD', async () => {
    await merge([guideRecord('nul', { name: 'a\u0000b' })]);
    const row = await database.pool.query(
      `select name, raw->>'name' as raw_name from pendo_guides`,
    );
    expect(row.rows[0]).toEqual({ name: 'a\uFFFDb', raw_name: 'a\uFFFDb' });
  });

  it('stores reports without app id', async () => {
    await merge([reportRecord('-AsTA2Rjbf2Z4MeGdfhWLaRVri4')], undefined, 'reports');
    const row = await database.pool.query(
      'select id, app_id, owned_by_user_id, report_type from pendo_reports',
    );
    expect(row.rows[0]).toEqual({
      id: '-AsTA2Rjbf2Z4MeGdfhWLaRVri4',
      app_id: null,
      owned_by_user_id: null,
      report_type: 'Path',
    });
  });

  it('keeps large app ids exact', async () => {
    await merge([
      guideRecord('big', {
        appId: 6_253_630_842_798_080,
        appIds: [6_253_630_842_798_080, -323232],
      }),
    ]);
    const row = await database.pool.query(`select app_id::text, app_ids::text from pendo_guides`);
    expect(row.rows[0]).toEqual({
      app_id: '6253630842798080',
      app_ids: '{6253630842798080,-323232}',
    });
  });

  it('rolls back a COPY the server cancels', async () => {
    // The statement timeout cancels the COPY on the server while rows are still arriving.
    const batch = Array.from({ length: 20_000 }, (_, index) => largeGuideRecord(`ok-${index}`));
    const cancelled = withTransaction(database.pool, async (client) => {
      await client.query(`set local statement_timeout = '300ms'`);
      return mergeRecords(client, 'guides', batch);
    });
    await expect(cancelled).rejects.toThrow(/statement timeout/);
    const error = (await cancelled.catch((caught: unknown) => caught)) as { where?: string };
    expect(error.where).toMatch(/^COPY pendo_sync_stage, line \d+/);
    const count = await database.pool.query('select count(*)::int as count from pendo_guides');
    expect(count.rows[0]).toEqual({ count: 0 });
  });

  it('stores lone surrogates as U+FFFD', async () => {
    await merge([guideRecord('surrogate', { name: 'broken \uD800 surrogate' })]);
    const row = await database.pool.query(
      `select name, raw->>'name' as raw_name from pendo_guides`,
    );
    expect(row.rows[0]).toEqual({
      name: 'broken \uFFFD surrogate',
      raw_name: 'broken \uFFFD surrogate',
    });
  });

  it('rolls back a batch with an invalid record', async () => {
    const batch = [
      ...Array.from({ length: 2000 }, (_, index) => guideRecord(`ok-${index}`)),
      { name: 'no id' },
    ];
    await expect(merge(batch)).rejects.toThrow(/Invalid guides record/);
    const count = await database.pool.query('select count(*)::int as count from pendo_guides');
    expect(count.rows[0]).toEqual({ count: 0 });
  });

  it('leaves the connection usable after a failed COPY', async () => {
    const failing = database.pool.connect();
    const client = await failing;
    try {
      await client.query('begin');
      await expect(mergeRecords(client, 'guides', [guideRecord('a'), { id: 5 }])).rejects.toThrow(
        /Invalid guides record/,
      );
      await client.query('rollback');
      const result = await client.query('select 1 as one');
      expect(result.rows).toEqual([{ one: 1 }]);
    } finally {
      client.release();
    }
  });

  it('merges twice in one transaction', async () => {
    const counts = await withTransaction(database.pool, async (client) => {
      const first = await mergeRecords(client, 'guides', [guideRecord('a')]);
      const second = await mergeRecords(client, 'guides', [guideRecord('a'), guideRecord('b')]);
      return [first, second];
    });
    expect(counts).toEqual([
      { inserted: 1, updated: 0, unchanged: 0, undeleted: 0 },
      { inserted: 1, updated: 0, unchanged: 1, undeleted: 0 },
    ]);
  });

  it('undeletes a record that comes back', async () => {
    await merge([guideRecord('a'), guideRecord('b')]);
    await database.pool.query(`update pendo_guides set deleted_at = now() where id = 'a'`);
    const counts = await merge([guideRecord('a'), guideRecord('b')]);
    expect(counts).toEqual({ inserted: 0, updated: 1, unchanged: 1, undeleted: 1 });
    const row = await database.pool.query(`select deleted_at from pendo_guides where id = 'a'`);
    expect(row.rows[0]).toEqual({ deleted_at: null });
  });
});

describe('mergeRecords at scale', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('merges 20,000 guide-sized records in one batch', async () => {
    const records = Array.from({ length: 20_000 }, (_, index) =>
      largeGuideRecord(`guide-${index}`),
    );
    const merge = () =>
      withTransaction(database.pool, (client) => mergeRecords(client, 'guides', records));
    expect(await merge()).toEqual({ inserted: 20_000, updated: 0, unchanged: 0, undeleted: 0 });
    expect(await merge()).toEqual({ inserted: 0, updated: 0, unchanged: 20_000, undeleted: 0 });
    const sample = await database.pool.query<{ raw: PendoRecord }>(
      `select raw from pendo_guides where id = 'guide-12345'`,
    );
    expect(sample.rows[0]?.raw).toEqual(records[12_345]);
  });
});
