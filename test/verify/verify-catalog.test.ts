import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log';
import { createPendoClient } from '../../src/pendo/client';
import type { PendoClient } from '../../src/pendo/client';
import { CATALOG_ENTITIES } from '../../src/types';
import type { CatalogEntity } from '../../src/types';
import { hasDrift } from '../../src/verify/compare-ids';
import type { EntityDrift } from '../../src/verify/compare-ids';
import { verifyEntity } from '../../src/verify/verify-catalog';
import { runTestSync, startHarness } from '../sync/helpers';
import type { SyncHarness } from '../sync/helpers';

let harness: SyncHarness;
let pendo: PendoClient;

async function verifyAll(): Promise<Map<CatalogEntity, EntityDrift>> {
  const drifts = new Map<CatalogEntity, EntityDrift>();
  for (const entity of CATALOG_ENTITIES) {
    drifts.set(entity, await verifyEntity(harness.pool, pendo, entity, 'all'));
  }
  return drifts;
}

function driftOf(drifts: Map<CatalogEntity, EntityDrift>, entity: CatalogEntity): EntityDrift {
  const drift = drifts.get(entity);
  if (!drift) throw new Error(`no drift entry for ${entity}`);
  return drift;
}

beforeAll(async () => {
  harness = await startHarness({ apps: 3 });
  pendo = createPendoClient({
    apiKey: harness.simulator.apiKey,
    baseUrl: harness.simulator.url,
    logger: silentLogger,
  });
  const run = await runTestSync(harness);
  expect(run.summary.status).toBe('completed');
});

afterAll(async () => {
  await harness.close();
});

describe('verifyEntity', () => {
  it('finds no drift after a sync', async () => {
    const drifts = await verifyAll();
    for (const entity of CATALOG_ENTITIES) {
      const drift = driftOf(drifts, entity);
      expect(hasDrift(drift), entity).toBe(false);
      expect(drift.pendoCount, entity).toBe(
        harness.simulator.truthIds(entity, { allApps: true }).length,
      );
      expect(drift.databaseCount, entity).toBe(drift.pendoCount);
    }
  });

  it('reports rows changed behind its back', async () => {
    const [removed] = (
      await harness.pool.query<{ id: string }>('select id from pendo_guides order by id limit 1')
    ).rows;
    await harness.pool.query('delete from pendo_guides where id = $1', [removed?.id]);
    await harness.pool.query(
      `update pendo_features set deleted_at = now() where id = (select id from pendo_features order by id limit 1)`,
    );
    await harness.pool.query(
      `update pendo_pages set last_updated_at = last_updated_at - interval '1 second'
       where id = (select id from pendo_pages order by id limit 1)`,
    );
    await harness.pool.query(
      `insert into pendo_track_types (id, app_id, raw, first_seen_at, synced_at)
       values ('not-in-pendo', -323232, '{}', now(), now())`,
    );

    const drifts = await verifyAll();
    const guides = driftOf(drifts, 'guides');
    expect(guides.missing).toBe(1);
    expect(guides.sampleMissing).toEqual([removed?.id]);
    expect(driftOf(drifts, 'features').missing).toBe(1);
    expect(driftOf(drifts, 'pages').outdated).toBe(1);
    const trackTypes = driftOf(drifts, 'track_types');
    expect(trackTypes.extra).toBe(1);
    expect(trackTypes.sampleExtra).toEqual(['not-in-pendo']);
    expect(hasDrift(driftOf(drifts, 'reports'))).toBe(false);
  });

  it('reports deletions in Pendo until synced', async () => {
    const summary = harness.simulator.mutate({ deletes: { segments: 2, guides: 3 } });
    const drifts = await verifyAll();
    expect(driftOf(drifts, 'segments').extra).toBe(2);
    expect(driftOf(drifts, 'guides').extra).toBe(3);
    expect(summary.changes.guides?.deleted).toHaveLength(3);

    // A full sync repairs every kind of drift introduced above.
    const run = await runTestSync(harness, { full: true });
    expect(run.summary.status).toBe('completed');
    const repaired = await verifyAll();
    for (const entity of CATALOG_ENTITIES) {
      expect(hasDrift(driftOf(repaired, entity)), entity).toBe(false);
    }
  });
});
