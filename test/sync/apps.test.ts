import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MutationSummary } from '../../src/simulator/index';
import { DEFAULT_APP_ID } from '../../src/types';
import type { SyncHarness, TestSyncRun } from './helpers';
import {
  AGGREGATION_ENTITIES,
  LIST_ENTITIES,
  SMALL_SIZES,
  changedIds,
  deletedIds,
  liveIds,
  runTestSync,
  sorted,
  startHarness,
  tableRows,
  truthById,
} from './helpers';

describe('several apps', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({ apps: 4, sizes: { ...SMALL_SIZES, track_types: 30 } });
    await runTestSync(harness);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('has four apps', () => {
    expect(harness.simulator.apps).toHaveLength(4);
    expect(harness.simulator.apps[0]).toBe(DEFAULT_APP_ID);
  });

  it.each(AGGREGATION_ENTITIES)('stores %s of every app', async (entity) => {
    const truth = await truthById(harness.simulator, entity);
    const rows = await tableRows(harness.pool, entity);
    for (const appId of harness.simulator.apps) {
      const expected = [...truth.values()].filter((record) => record.appId === appId);
      const stored = [...rows.values()].filter((row) => row.app_id === String(appId));
      expect(expected.length, `app ${appId}`).toBeGreaterThan(0);
      expect(sorted(stored.map((row) => row.id)), `app ${appId}`).toEqual(
        sorted(expected.map((record) => String(record.id))),
      );
    }
  });

  it.each(LIST_ENTITIES)('stores %s without an app', async (entity) => {
    const rows = await tableRows(harness.pool, entity);
    expect(rows.size).toBe(harness.simulator.truthIds(entity).length);
    for (const row of rows.values()) expect(row.app_id, row.id).toBeNull();
  });
});

describe('one app of several', () => {
  let harness: SyncHarness;
  let otherAppIds: Map<string, string[]>;
  let defaultAppCounts: Map<string, number>;
  let fullRun: TestSyncRun;
  let mutation: MutationSummary;
  let incrementalRun: TestSyncRun;

  /** Returns the ids of the simulator's current records of `entity` outside the default app. */
  async function otherAppTruth(entity: (typeof AGGREGATION_ENTITIES)[number]): Promise<string[]> {
    const truth = await truthById(harness.simulator, entity);
    const ids = [...truth.values()]
      .filter((record) => record.appId !== DEFAULT_APP_ID)
      .map((record) => String(record.id));
    return sorted(ids);
  }

  beforeAll(async () => {
    harness = await startHarness({ apps: 3 });
    // Rows of every app are stored first; later runs are limited to the default app.
    await runTestSync(harness);
    otherAppIds = new Map();
    defaultAppCounts = new Map();
    for (const entity of AGGREGATION_ENTITIES) {
      otherAppIds.set(entity, await otherAppTruth(entity));
      defaultAppCounts.set(entity, harness.simulator.truthIds(entity).length);
    }
    fullRun = await runTestSync(harness, { appIds: [DEFAULT_APP_ID], full: true });
    mutation = harness.simulator.mutate({
      deletes: { guides: 12, features: 20, pages: 12, track_types: 4 },
    });
    incrementalRun = await runTestSync(harness, { appIds: [DEFAULT_APP_ID] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('reads only the default app', () => {
    for (const entity of AGGREGATION_ENTITIES) {
      const counts = fullRun.result(entity).counts;
      expect(counts.fetched, entity).toBe(defaultAppCounts.get(entity));
      expect(counts.unchanged, entity).toBe(defaultAppCounts.get(entity));
    }
  });

  it('keeps other apps in a full pass', () => {
    for (const entity of AGGREGATION_ENTITIES) {
      expect(fullRun.result(entity).status, entity).toBe('completed');
      expect(fullRun.result(entity).counts.deleted, entity).toBe(0);
    }
  });

  it.each(AGGREGATION_ENTITIES)('deletes only default-app %s', async (entity) => {
    const deleted = changedIds(mutation.changes, entity, 'deleted');
    const defaultAppIds = new Set(harness.simulator.truthIds(entity));
    const others = new Set(otherAppIds.get(entity));
    const deletedInDefault = deleted.filter((id) => !others.has(id));
    // The mutation picked its records among every app, so both kinds should be present.
    expect(deletedInDefault.length).toBeGreaterThan(0);
    expect(deleted.length).toBeGreaterThan(deletedInDefault.length);
    expect(incrementalRun.result(entity).counts.deleted).toBe(deletedInDefault.length);
    expect(await deletedIds(harness.pool, entity)).toEqual(sorted(deletedInDefault));
    for (const id of deletedInDefault) expect(defaultAppIds.has(id), id).toBe(false);
  });

  it.each(AGGREGATION_ENTITIES)('leaves other-app %s live', async (entity) => {
    const live = new Set(await liveIds(harness.pool, entity));
    const missing = (otherAppIds.get(entity) ?? []).filter((id) => !live.has(id));
    expect(missing).toEqual([]);
  });

  it('fetches default-app changes only', () => {
    for (const entity of AGGREGATION_ENTITIES) {
      expect(incrementalRun.result(entity).status, entity).toBe('completed');
      expect(incrementalRun.result(entity).counts.inserted, entity).toBe(0);
    }
  });
});

describe('app list of one app', () => {
  let harness: SyncHarness;
  let run: TestSyncRun;

  beforeAll(async () => {
    harness = await startHarness({ apps: 3 });
    run = await runTestSync(harness, { appIds: [DEFAULT_APP_ID] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it.each(AGGREGATION_ENTITIES)('stores only default-app %s', async (entity) => {
    expect(run.result(entity).status).toBe('completed');
    const expected = sorted(harness.simulator.truthIds(entity));
    expect(await liveIds(harness.pool, entity)).toEqual(expected);
    const rows = await tableRows(harness.pool, entity);
    for (const row of rows.values()) expect(row.app_id, row.id).toBe(String(DEFAULT_APP_ID));
  });

  it.each(LIST_ENTITIES)('stores all %s', async (entity) => {
    expect(await liveIds(harness.pool, entity)).toEqual(sorted(harness.simulator.truthIds(entity)));
  });
});
