import type pg from 'pg';
import { rollBack, watchClient } from '../db/watch-client';
import type { PendoClient } from '../pendo/client';
import { ENTITY_SPECS } from '../sync/entities';
import type { Entity } from '../types';
import { compareKeys, createKeyTable, insertKeys } from './compare-ids';
import type { EntityDrift } from './compare-ids';
import { listRecordKeys } from './pendo-ids';

/**
 * Compares one entity's table with what Pendo lists now. Pendo's keys go into a temporary
 * table inside a transaction that is rolled back, so verification writes nothing and its
 * memory stays flat at any catalog size.
 */
export async function verifyEntity(
  pool: pg.Pool,
  pendo: PendoClient,
  entity: Entity,
  appIds: number[] | 'all',
  options: { anonymousVisitors?: boolean } = {},
): Promise<EntityDrift> {
  const spec = ENTITY_SPECS[entity];
  const client = await pool.connect();
  const watched = watchClient(client);
  let failed = false;
  try {
    await client.query('begin');
    await createKeyTable(client);
    const keys = listRecordKeys(pendo, spec, appIds, options.anonymousVisitors);
    for await (const batch of keys) await insertKeys(client, batch);
    // Reports, segments, visitors and accounts are subscription-level, so an app list does
    // not narrow them.
    const scope = spec.aggregationSource && spec.appScoped ? appIds : 'all';
    return await compareKeys(client, entity, scope);
  } catch (error) {
    failed = true;
    throw watched.explain(error);
  } finally {
    // After a failure the connection may be broken, so it is closed instead of rolled back.
    const rolledBack = !failed && (await rollBack(client));
    watched.release(!rolledBack);
  }
}
