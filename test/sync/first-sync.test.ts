import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_ENTITIES } from '../../src/types';
import type { CatalogEntity, PendoRecord } from '../../src/types';
import type { SyncHarness, TestSyncRun } from './helpers';
import {
  AGGREGATION_ENTITIES,
  liveIds,
  runLog,
  runTestSync,
  sorted,
  startHarness,
  tableRows,
  truthById,
} from './helpers';

/** Converts Pendo's epoch milliseconds as the table stores them: 0 and missing become NULL. */
function expectedTime(value: unknown): Date | null {
  return typeof value === 'number' && value !== 0 ? new Date(value) : null;
}

function nested(record: PendoRecord, key: string, field: string): unknown {
  const parent = record[key] as Record<string, unknown> | undefined;
  return parent?.[field];
}

/** Returns the typed columns of `entity` that must agree with `raw`, envelope columns first. */
function expectedColumns(entity: CatalogEntity, raw: PendoRecord): Record<string, unknown> {
  const appId = typeof raw.appId === 'number' ? String(raw.appId) : null;
  const creator = nested(raw, 'createdByUser', 'id');
  const columns: Record<string, unknown> = {
    app_id: appId,
    kind: raw.kind,
    name: raw.name,
    created_at: expectedTime(raw.createdAt),
    last_updated_at: expectedTime(raw.lastUpdatedAt),
    created_by_user_id: creator === '' || creator === undefined ? null : creator,
  };
  if (entity === 'guides') {
    columns.state = raw.state;
    columns.launch_method = raw.launchMethod;
    columns.step_count = (raw.steps as unknown[]).length;
    columns.published_at = expectedTime(raw.publishedAt);
    columns.reset_at = expectedTime(raw.resetAt);
    columns.expires_at = expectedTime(raw.expiresAfter);
  }
  if (entity === 'features' || entity === 'pages' || entity === 'track_types') {
    columns.group_id = nested(raw, 'group', 'id') ?? null;
    columns.group_name = nested(raw, 'group', 'name') ?? null;
  }
  if (entity === 'reports') {
    columns.report_type = raw.type ?? null;
    columns.last_run_at = expectedTime(raw.lastRunAt);
    columns.last_success_run_at = expectedTime(raw.lastSuccessRunAt);
  }
  if (entity === 'segments') {
    columns.created_by_api = raw.createdByApi ?? null;
  }
  return columns;
}

describe('first sync', () => {
  let harness: SyncHarness;
  let run: TestSyncRun;

  beforeAll(async () => {
    harness = await startHarness({ apps: 3 });
    run = await runTestSync(harness);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('completes every entity', () => {
    expect(run.summary.status).toBe('completed');
    for (const entity of CATALOG_ENTITIES) {
      expect(run.result(entity).status, entity).toBe('completed');
      expect(run.result(entity).mode, entity).toBe('full');
      expect(run.result(entity).error, entity).toBeUndefined();
    }
  });

  it.each(CATALOG_ENTITIES)('stores exactly the ids of %s', async (entity) => {
    const expected = sorted(harness.simulator.truthIds(entity, { allApps: true }));
    expect(expected.length).toBeGreaterThan(0);
    expect(await liveIds(harness.pool, entity)).toEqual(expected);
  });

  it('covers every app', async () => {
    for (const entity of AGGREGATION_ENTITIES) {
      const rows = await tableRows(harness.pool, entity);
      const apps = new Set([...rows.values()].map((row) => String(row.app_id)));
      expect(sorted(apps), entity).toEqual(sorted(harness.simulator.apps.map(String)));
    }
  });

  it.each(CATALOG_ENTITIES)('stores raw %s as sent', async (entity) => {
    const truth = await truthById(harness.simulator, entity);
    const rows = await tableRows(harness.pool, entity);
    expect(rows.size).toBe(truth.size);
    for (const [id, record] of truth) {
      expect(rows.get(id)?.raw, id).toEqual(record);
    }
  });

  it.each(CATALOG_ENTITIES)('derives typed %s columns from raw', async (entity) => {
    const rows = await tableRows(harness.pool, entity);
    for (const row of rows.values()) {
      const expected = expectedColumns(entity, row.raw);
      for (const [column, value] of Object.entries(expected)) {
        expect(row[column], `${row.id} ${column}`).toEqual(value);
      }
      expect(row.deleted_at, `${row.id} deleted_at`).toBeNull();
    }
  });

  it('maps unset guide times to NULL', async () => {
    const rows = [...(await tableRows(harness.pool, 'guides')).values()];
    const unpublished = rows.filter((row) => row.raw.publishedAt === 0);
    const published = rows.filter(
      (row) => typeof row.raw.publishedAt === 'number' && row.raw.publishedAt !== 0,
    );
    // The check below is only meaningful when the catalog has both kinds of guide.
    expect(unpublished.length).toBeGreaterThan(0);
    expect(published.length).toBeGreaterThan(0);
    for (const row of unpublished) expect(row.published_at, row.id).toBeNull();
    for (const row of published) expect(row.published_at, row.id).toBeInstanceOf(Date);
  });

  it('logs one completed row per entity', async () => {
    const rows = await runLog(harness.pool, run.summary.runId);
    expect(rows.map((row) => row.entity)).toEqual(sorted(CATALOG_ENTITIES));
    for (const row of rows) {
      const total = harness.simulator.truthIds(row.entity, { allApps: true }).length;
      expect(row.status, row.entity).toBe('completed');
      expect(row.mode, row.entity).toBe('full');
      expect(Number(row.fetched), `${row.entity} fetched`).toBe(total);
      expect(Number(row.inserted), `${row.entity} inserted`).toBe(total);
      expect(Number(row.updated), `${row.entity} updated`).toBe(0);
      expect(Number(row.deleted), `${row.entity} deleted`).toBe(0);
      expect(Number(row.api_calls), `${row.entity} api calls`).toBeGreaterThan(0);
      expect(row.error, row.entity).toBeNull();
    }
  });

  it('returns counts equal to the log', async () => {
    const rows = await runLog(harness.pool, run.summary.runId);
    for (const row of rows) {
      const counts = run.result(row.entity).counts;
      expect(counts.fetched, row.entity).toBe(Number(row.fetched));
      expect(counts.inserted, row.entity).toBe(Number(row.inserted));
      expect(counts.apiCalls, row.entity).toBe(Number(row.api_calls));
    }
  });

  it('matches the simulator counts', async () => {
    const counts = harness.simulator.counts();
    for (const entity of CATALOG_ENTITIES) {
      const ids = await liveIds(harness.pool, entity);
      expect(ids.length, entity).toBe(counts[entity].total);
    }
    for (const entity of AGGREGATION_ENTITIES) {
      const rows = [...(await tableRows(harness.pool, entity)).values()];
      for (const [appId, count] of Object.entries(counts[entity].byApp)) {
        const inApp = rows.filter((row) => row.app_id === appId).length;
        expect(inApp, `${entity} app ${appId}`).toBe(count);
      }
    }
  });

  it('reports progress per entity', () => {
    for (const entity of CATALOG_ENTITIES) {
      const finishes = run.progress.calls.filter(
        (call) => call.kind === 'finish' && call.result.entity === entity,
      );
      expect(finishes, entity).toHaveLength(1);
      expect(run.progress.passes(entity).length, entity).toBeGreaterThan(0);
    }
    expect(run.progress.calls.at(-1)).toEqual({ kind: 'close' });
  });
});
