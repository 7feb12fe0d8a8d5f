import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MergeCounts } from '../../src/db/merge-records';
import { mergeRecords } from '../../src/db/merge-records';
import { withTransaction } from '../../src/db/transaction';
import { silentLogger } from '../../src/log';
import { createPendoClient } from '../../src/pendo/client';
import type { PendoObjectType } from '../../src/pendo/client';
import type { CatalogEntity, PendoRecord } from '../../src/types';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import type { CatalogTableRow, TestSyncRun } from './helpers';
import { runTestSync, tableRows } from './helpers';

const API_KEY = '7e57f1c5-0000-4000-a000-realpayloads';

/** Fixture file, list endpoint and table of each real record. */
const FIXTURES: { entity: CatalogEntity; type: PendoObjectType; file: string }[] = [
  { entity: 'guides', type: 'guide', file: 'guides-real-sample.json' },
  { entity: 'features', type: 'feature', file: 'features-real-sample.json' },
  { entity: 'pages', type: 'page', file: 'pages-real-sample.json' },
  { entity: 'reports', type: 'report', file: 'reports-real-sample.json' },
];

function readFixture(file: string): PendoRecord[] {
  const url = new URL(`../fixtures/pendo/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as PendoRecord[];
}

/** Serves each fixture array on its list endpoint (`expand=*` or not) after a key check. */
async function startFixtureServer(
  bodies: Map<string, string>,
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = bodies.get(url.pathname);
    if (request.headers['x-pendo-integration-key'] !== API_KEY) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
    } else if (request.method !== 'GET' || body === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    } else {
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

async function collect(batches: AsyncIterable<PendoRecord[]>): Promise<PendoRecord[]> {
  const records: PendoRecord[] = [];
  for await (const batch of batches) records.push(...batch);
  return records;
}

describe('real Pendo payloads', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  const fixtures = new Map<CatalogEntity, PendoRecord[]>();
  const listed = new Map<CatalogEntity, PendoRecord[]>();
  const merged = new Map<CatalogEntity, MergeCounts>();
  const mergedAgain = new Map<CatalogEntity, MergeCounts>();
  let reportSync: TestSyncRun;
  let rows: Map<CatalogEntity, CatalogTableRow>;

  beforeAll(async () => {
    const bodies = new Map<string, string>();
    for (const fixture of FIXTURES) {
      const records = readFixture(fixture.file);
      fixtures.set(fixture.entity, records);
      bodies.set(`/api/v1/${fixture.type}`, JSON.stringify(records));
    }
    database = await createTestDatabase();
    ({ url: baseUrl, server } = await startFixtureServer(bodies));

    // Reports go through a whole sync (the list pass), the others through the client and merge.
    reportSync = await runTestSync(
      { simulator: { url: baseUrl, apiKey: API_KEY }, pool: database.pool },
      { entities: ['reports'] },
    );
    const client = createPendoClient({ apiKey: API_KEY, baseUrl, logger: silentLogger });
    for (const fixture of FIXTURES.filter((item) => item.entity !== 'reports')) {
      const records = await collect(client.listObjects(fixture.type, { expandAllApps: true }));
      listed.set(fixture.entity, records);
      const write = (): Promise<MergeCounts> =>
        withTransaction(database.pool, (db) => mergeRecords(db, fixture.entity, records));
      merged.set(fixture.entity, await write());
      mergedAgain.set(fixture.entity, await write());
    }
    rows = new Map();
    for (const fixture of FIXTURES) {
      const table = await tableRows(database.pool, fixture.entity);
      const [row] = [...table.values()];
      if (row) rows.set(fixture.entity, row);
    }
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.drop();
  });

  it('reads one record per fixture', () => {
    for (const fixture of FIXTURES) {
      expect(fixtures.get(fixture.entity), fixture.file).toHaveLength(1);
    }
  });

  it.each(['guides', 'features', 'pages'] as const)('lists %s unchanged', (entity) => {
    expect(listed.get(entity)).toEqual(fixtures.get(entity));
  });

  it.each(['guides', 'features', 'pages'] as const)('merges %s once', (entity) => {
    expect(merged.get(entity)).toEqual({ inserted: 1, updated: 0, unchanged: 0, undeleted: 0 });
    expect(mergedAgain.get(entity)).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 1,
      undeleted: 0,
    });
  });

  it('syncs the report list', () => {
    expect(reportSync.summary.status).toBe('completed');
    expect(reportSync.result('reports').counts.inserted).toBe(1);
    expect(reportSync.result('reports').counts.deleted).toBe(0);
  });

  it.each(FIXTURES.map((fixture) => fixture.entity))('stores raw %s field for field', (entity) => {
    const [record] = fixtures.get(entity) ?? [];
    const row = rows.get(entity);
    expect(row?.id).toBe(record?.id);
    expect(row?.raw).toEqual(record);
    expect(Object.keys(row?.raw ?? {}).sort()).toEqual(Object.keys(record ?? {}).sort());
  });

  it('types the guide columns', () => {
    const row = rows.get('guides');
    expect(row?.app_id).toBe('-323232');
    expect(row?.app_ids).toEqual(['-323232']);
    expect(row?.kind).toBe('Guide');
    expect(row?.name).toBe('oStripe - Partner Migration (Pop-up) | Home Dashboard');
    expect(row?.state).toBe('_pendingReview_');
    expect(row?.launch_method).toBe('auto');
    expect(row?.is_multi_step).toBe(false);
    expect(row?.is_training).toBe(false);
    expect(row?.step_count).toBe(1);
    expect(row?.poll_count).toBeNull();
    expect(row?.created_at).toEqual(new Date(1_758_784_289_157));
    expect(row?.last_updated_at).toEqual(new Date(1_759_216_882_787));
    expect(row?.expires_at).toEqual(new Date(1_761_861_600_000));
    expect(row?.created_by_user_id).toBe('5415320457969664');
    expect(row?.last_updated_by_user_id).toBe('5415320457969664');
  });

  it('maps unset guide times to NULL', () => {
    const row = rows.get('guides');
    expect(row?.raw.publishedAt).toBe(0);
    expect(row?.published_at).toBeNull();
    expect(row?.raw.resetAt).toBe(0);
    expect(row?.reset_at).toBeNull();
  });

  it('types the feature columns', () => {
    const row = rows.get('features');
    expect(row?.app_id).toBe('-323232');
    expect(row?.kind).toBe('Feature');
    expect(row?.name).toBe("'Default' Tabs Selected");
    expect(row?.group_id).toBe('Wgt0R6wAsWPgeUdma0Y6M3APsxs');
    expect(row?.group_name).toBe('Reporting / Insights');
    expect(row?.page_id).toBe('FRjso4qGCLr3K9kkkzq4xOm-eLQ');
    expect(row?.app_wide).toBe(false);
    expect(row?.is_core_event).toBe(false);
    expect(row?.created_at).toEqual(new Date(1_673_824_341_617));
    expect(row?.last_updated_at).toEqual(new Date(1_673_824_341_617));
  });

  it('types the page columns', () => {
    const row = rows.get('pages');
    expect(row?.app_id).toBe('-323232');
    expect(row?.kind).toBe('Page');
    expect(row?.name).toBe('3PL Dashboards only');
    expect(row?.group_id).toBe('ZHcbMOL2I-K5WW23KijhW_bqyZ8');
    expect(row?.group_name).toBe('3PL');
    expect(row?.is_core_event).toBe(false);
    expect(row?.rule_count).toBe(29);
    expect(row?.created_at).toEqual(new Date(1_685_320_590_281));
    expect(row?.last_updated_at).toEqual(new Date(1_685_322_552_149));
  });

  it('types the report columns', () => {
    const row = rows.get('reports');
    expect(row?.app_id).toBeNull();
    expect(row?.app_ids).toBeNull();
    expect(row?.kind).toBe('Report');
    expect(row?.name).toBe('Leading to | Connect to Amazon');
    expect(row?.report_type).toBe('Path');
    expect(row?.shared).toBe(true);
    expect(row?.scope).toBe('');
    expect(row?.level).toBe('');
    // An unowned report has an empty owner id, which is stored as NULL.
    expect(row?.owned_by_user_id).toBeNull();
    expect(row?.created_at).toEqual(new Date(1_744_841_664_837));
    expect(row?.last_run_at).toEqual(new Date(1_760_055_167_706));
    expect(row?.last_success_run_at).toEqual(new Date(1_760_055_182_317));
  });

  it('rejects a wrong key', async () => {
    const client = createPendoClient({
      apiKey: 'not-the-fixture-key',
      baseUrl,
      logger: silentLogger,
      maxAttempts: 1,
    });
    await expect(collect(client.listObjects('guide', { expandAllApps: true }))).rejects.toThrow(
      /403/,
    );
  });
});
