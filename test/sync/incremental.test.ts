import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MutationSummary } from '../../src/simulator/index';
import { CATALOG_ENTITIES } from '../../src/types';
import type { CatalogEntity } from '../../src/types';
import type { SyncHarness, TestSyncRun } from './helpers';
import {
  AGGREGATION_ENTITIES,
  LIST_ENTITIES,
  changedIds,
  deletedIds,
  liveIds,
  rowVersions,
  runLog,
  runTestSync,
  sorted,
  startHarness,
  tableRows,
  truthById,
} from './helpers';

const CHANGES = {
  creates: { guides: 4, features: 5, pages: 3, track_types: 2, reports: 2, segments: 1 },
  updates: { guides: 6, features: 7, pages: 4, track_types: 3, reports: 3, segments: 2 },
  deletes: { guides: 3, features: 4, pages: 2, track_types: 1, reports: 1, segments: 1 },
};

/** Returns the ids whose `synced_at` is later than `since`, sorted. */
async function idsSyncedAfter(
  harness: SyncHarness,
  entity: CatalogEntity,
  since: Date,
): Promise<string[]> {
  const rows = await tableRows(harness.pool, entity);
  const ids = [...rows.values()]
    .filter((row) => (row.synced_at as Date).getTime() > since.getTime())
    .map((row) => row.id);
  return sorted(ids);
}

/**
 * Returns the ids of the records with the newest lastUpdatedAt. A full pass leaves the cursor
 * at that timestamp with an empty id, so the next incremental pass reads these records again.
 */
async function newestIds(harness: SyncHarness, entity: CatalogEntity): Promise<string[]> {
  const records = [...(await truthById(harness.simulator, entity)).values()];
  const newest = Math.max(...records.map((record) => record.lastUpdatedAt as number));
  return sorted(
    records.filter((record) => record.lastUpdatedAt === newest).map((record) => String(record.id)),
  );
}

describe('incremental sync', () => {
  let harness: SyncHarness;
  let mutation: MutationSummary;
  let secondStartedAt: Date;
  let second: TestSyncRun;
  let versionsBefore: Map<CatalogEntity, Map<string, string>>;
  let third: TestSyncRun;
  const newestBefore = new Map<CatalogEntity, string[]>();

  beforeAll(async () => {
    harness = await startHarness({ apps: 3 });
    await runTestSync(harness);
    for (const entity of AGGREGATION_ENTITIES) {
      newestBefore.set(entity, await newestIds(harness, entity));
    }
    mutation = harness.simulator.mutate(CHANGES);
    // A short pause keeps the synced_at times of the two runs apart.
    await new Promise((resolve) => setTimeout(resolve, 20));
    secondStartedAt = new Date();
    second = await runTestSync(harness);
    versionsBefore = new Map();
    for (const entity of CATALOG_ENTITIES) {
      versionsBefore.set(entity, await rowVersions(harness.pool, entity));
    }
    third = await runTestSync(harness);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('runs aggregation entities incrementally', () => {
    expect(second.summary.status).toBe('completed');
    for (const entity of AGGREGATION_ENTITIES) {
      expect(second.result(entity).mode, entity).toBe('incremental');
      expect(second.result(entity).status, entity).toBe('completed');
    }
  });

  it('reads list entities whole', () => {
    for (const entity of LIST_ENTITIES) {
      expect(second.result(entity).mode, entity).toBe('full');
      expect(second.result(entity).status, entity).toBe('completed');
      expect(second.result(entity).counts.fetched, entity).toBe(
        harness.simulator.truthIds(entity, { allApps: true }).length,
      );
    }
  });

  it.each(CATALOG_ENTITIES)('counts the changes of %s', (entity) => {
    const counts = second.result(entity).counts;
    expect(counts.inserted, 'inserted').toBe(CHANGES.creates[entity]);
    expect(counts.updated, 'updated').toBe(CHANGES.updates[entity]);
    expect(counts.deleted, 'deleted').toBe(CHANGES.deletes[entity]);
    expect(counts.undeleted, 'undeleted').toBe(0);
  });

  it.each(AGGREGATION_ENTITIES)('fetches only changed %s', (entity) => {
    const changed = new Set([
      ...changedIds(mutation.changes, entity, 'created'),
      ...changedIds(mutation.changes, entity, 'updated'),
    ]);
    const deleted = new Set(changedIds(mutation.changes, entity, 'deleted'));
    const reread = (newestBefore.get(entity) ?? []).filter(
      (id) => !changed.has(id) && !deleted.has(id),
    );
    expect(second.result(entity).counts.fetched, 'fetched').toBe(changed.size + reread.length);
    expect(second.result(entity).counts.unchanged, 'unchanged').toBe(reread.length);
  });

  it.each(CATALOG_ENTITIES)('marks the deleted %s', async (entity) => {
    const expected = changedIds(mutation.changes, entity, 'deleted');
    expect(expected).toHaveLength(CHANGES.deletes[entity]);
    expect(await deletedIds(harness.pool, entity)).toEqual(expected);
  });

  it.each(CATALOG_ENTITIES)('keeps live %s equal to truth', async (entity) => {
    const expected = sorted(harness.simulator.truthIds(entity, { allApps: true }));
    expect(await liveIds(harness.pool, entity)).toEqual(expected);
  });

  it.each(CATALOG_ENTITIES)('rewrites only changed %s', async (entity) => {
    const expected = sorted([
      ...changedIds(mutation.changes, entity, 'created'),
      ...changedIds(mutation.changes, entity, 'updated'),
      ...changedIds(mutation.changes, entity, 'deleted'),
    ]);
    expect(await idsSyncedAfter(harness, entity, secondStartedAt)).toEqual(expected);
  });

  it.each(CATALOG_ENTITIES)('stores the new raw of %s', async (entity) => {
    const truth = await truthById(harness.simulator, entity);
    const rows = await tableRows(harness.pool, entity);
    const touched = [
      ...changedIds(mutation.changes, entity, 'created'),
      ...changedIds(mutation.changes, entity, 'updated'),
    ];
    for (const id of touched) {
      const row = rows.get(id);
      expect(row?.raw, id).toEqual(truth.get(id));
      expect(row?.last_updated_at, id).toEqual(new Date(truth.get(id)?.lastUpdatedAt as number));
    }
  });

  it('keeps first_seen_at of updated rows', async () => {
    const rows = await tableRows(harness.pool, 'guides');
    for (const id of changedIds(mutation.changes, 'guides', 'updated')) {
      const row = rows.get(id);
      expect((row?.first_seen_at as Date).getTime(), id).toBeLessThan(secondStartedAt.getTime());
    }
  });

  it('logs the second run', async () => {
    const rows = await runLog(harness.pool, second.summary.runId);
    expect(rows).toHaveLength(CATALOG_ENTITIES.length);
    for (const row of rows) {
      expect(row.status, row.entity).toBe('completed');
      expect(Number(row.inserted), row.entity).toBe(CHANGES.creates[row.entity]);
      expect(Number(row.updated), row.entity).toBe(CHANGES.updates[row.entity]);
      expect(Number(row.deleted), row.entity).toBe(CHANGES.deletes[row.entity]);
    }
  });

  it.each(CATALOG_ENTITIES)('changes nothing of %s when idle', (entity) => {
    const counts = third.result(entity).counts;
    expect(third.result(entity).status).toBe('completed');
    expect(counts.inserted, 'inserted').toBe(0);
    expect(counts.updated, 'updated').toBe(0);
    expect(counts.deleted, 'deleted').toBe(0);
    expect(counts.undeleted, 'undeleted').toBe(0);
  });

  it.each(AGGREGATION_ENTITIES)('fetches no %s when idle', (entity) => {
    expect(third.result(entity).counts.fetched).toBe(0);
  });

  it.each(CATALOG_ENTITIES)('rewrites no %s row when idle', async (entity) => {
    const after = await rowVersions(harness.pool, entity);
    expect(after).toEqual(versionsBefore.get(entity));
  });
});
