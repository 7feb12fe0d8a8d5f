import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearSeenIds } from '../../src/db/clear-seen-ids';
import { countLiveRows, countMissingRows } from '../../src/db/count-rows';
import { markMissingDeleted } from '../../src/db/mark-missing-deleted';
import { mergeRecords } from '../../src/db/merge-records';
import { recordSeenIds } from '../../src/db/record-seen-ids';
import { withTransaction } from '../../src/db/transaction';
import { undeleteSeenIds } from '../../src/db/undelete-seen-ids';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import { featureRecord } from '../helpers/records';

describe('deletion detection', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  beforeEach(async () => {
    await database.pool.query('truncate pendo_features, pendo_guides, sync_seen_ids');
    await withTransaction(database.pool, (client) =>
      mergeRecords(client, 'features', [
        featureRecord('a'),
        featureRecord('b'),
        featureRecord('c', { appId: 6_253_630_842_798_080 }),
        featureRecord('d', { appId: 6_253_630_842_798_080 }),
      ]),
    );
  });

  async function deletedIds(): Promise<string[]> {
    const result = await database.pool.query<{ id: string }>(
      'select id from pendo_features where deleted_at is not null order by id',
    );
    return result.rows.map((row) => row.id);
  }

  function inTransaction<T>(fn: Parameters<typeof withTransaction<T>>[1]): Promise<T> {
    return withTransaction(database.pool, fn);
  }

  it('marks ids the pass did not see', async () => {
    const passId = randomUUID();
    await inTransaction((client) => recordSeenIds(client, 'features', passId, ['a', 'c']));
    const marked = await inTransaction((client) => markMissingDeleted(client, 'features', passId));
    expect(marked).toBe(2);
    expect(await deletedIds()).toEqual(['b', 'd']);
  });

  it('does not mark rows again', async () => {
    const passId = randomUUID();
    await inTransaction((client) => recordSeenIds(client, 'features', passId, ['a']));
    await inTransaction((client) => markMissingDeleted(client, 'features', passId));
    const before = await database.pool.query(
      `select deleted_at from pendo_features where id = 'b'`,
    );
    const markedAgain = await inTransaction((client) =>
      markMissingDeleted(client, 'features', passId),
    );
    expect(markedAgain).toBe(0);
    const after = await database.pool.query(`select deleted_at from pendo_features where id = 'b'`);
    expect(after.rows).toEqual(before.rows);
  });

  it('ignores ids seen by an older pass', async () => {
    const oldPass = randomUUID();
    const newPass = randomUUID();
    await inTransaction((client) =>
      recordSeenIds(client, 'features', oldPass, ['a', 'b', 'c', 'd']),
    );
    await inTransaction((client) => recordSeenIds(client, 'features', newPass, ['a', 'b', 'c']));
    expect(await inTransaction((client) => markMissingDeleted(client, 'features', newPass))).toBe(
      1,
    );
    expect(await deletedIds()).toEqual(['d']);
  });

  it('tolerates repeated ids', async () => {
    const passId = randomUUID();
    const written = await inTransaction((client) =>
      recordSeenIds(client, 'features', passId, ['a', 'a', 'b', 'a']),
    );
    expect(written).toBe(2);
    await inTransaction((client) => recordSeenIds(client, 'features', passId, ['b', 'c', 'd']));
    expect(await inTransaction((client) => markMissingDeleted(client, 'features', passId))).toBe(0);
  });

  it('keeps entities apart', async () => {
    const passId = randomUUID();
    await inTransaction((client) => recordSeenIds(client, 'guides', passId, ['a', 'b', 'c', 'd']));
    expect(await inTransaction((client) => markMissingDeleted(client, 'features', passId))).toBe(4);
  });

  it('limits marking to the given apps', async () => {
    const passId = randomUUID();
    await inTransaction((client) => recordSeenIds(client, 'features', passId, ['c']));
    const marked = await inTransaction((client) =>
      markMissingDeleted(client, 'features', passId, { appIds: [6_253_630_842_798_080] }),
    );
    expect(marked).toBe(1);
    expect(await deletedIds()).toEqual(['d']);
  });

  it('undeletes ids seen again', async () => {
    const firstPass = randomUUID();
    await inTransaction((client) => recordSeenIds(client, 'features', firstPass, ['a']));
    await inTransaction((client) => markMissingDeleted(client, 'features', firstPass));
    const secondPass = randomUUID();
    await inTransaction((client) => recordSeenIds(client, 'features', secondPass, ['a', 'b']));
    const undeleted = await inTransaction((client) =>
      undeleteSeenIds(client, 'features', secondPass),
    );
    expect(undeleted).toBe(1);
    expect(await deletedIds()).toEqual(['c', 'd']);
  });

  it('undeletes through mergeRecords', async () => {
    const passId = randomUUID();
    await inTransaction((client) => recordSeenIds(client, 'features', passId, []));
    await inTransaction((client) => markMissingDeleted(client, 'features', passId));
    const counts = await inTransaction((client) =>
      mergeRecords(client, 'features', [featureRecord('a'), featureRecord('e')]),
    );
    expect(counts).toEqual({ inserted: 1, updated: 1, unchanged: 0, undeleted: 1 });
    expect(await deletedIds()).toEqual(['b', 'c', 'd']);
  });

  it('clears the seen ids of one entity', async () => {
    const passId = randomUUID();
    await inTransaction((client) => recordSeenIds(client, 'features', passId, ['a', 'b']));
    await inTransaction((client) => recordSeenIds(client, 'guides', passId, ['x']));
    expect(await inTransaction((client) => clearSeenIds(client, 'features'))).toBe(2);
    const left = await database.pool.query('select entity, id from sync_seen_ids');
    expect(left.rows).toEqual([{ entity: 'guides', id: 'x' }]);
  });

  it('records 100,000 seen ids in one call', async () => {
    const passId = randomUUID();
    const ids = Array.from({ length: 100_000 }, (_, index) => `id-${index}`);
    const written = await inTransaction((client) => recordSeenIds(client, 'features', passId, ids));
    expect(written).toBe(100_000);
  });

  it('counts missing and live rows', async () => {
    const passId = randomUUID();
    await inTransaction((client) => recordSeenIds(client, 'features', passId, ['a', 'c']));
    const appScope = { appIds: [6_253_630_842_798_080] };
    const counts = await inTransaction(async (client) => ({
      live: await countLiveRows(client, 'features'),
      liveInApp: await countLiveRows(client, 'features', appScope),
      missing: await countMissingRows(client, 'features', passId),
      missingInApp: await countMissingRows(client, 'features', passId, appScope),
    }));
    expect(counts).toEqual({ live: 4, liveInApp: 2, missing: 2, missingInApp: 1 });
    expect(await deletedIds()).toEqual([]);
  });
});
