import type { PendoClient } from '../pendo/client';
import { appIdSource } from '../pendo/filter';
import type { EntitySpec } from '../sync/entities';
import type { PendoRecord } from '../types';

/** Id, app and update time of one record, as Pendo lists it now. */
export interface RecordKey {
  id: string;
  appId: number | null;
  lastUpdatedAt: number | null;
}

function keyOf(record: PendoRecord): RecordKey | null {
  if (typeof record.id !== 'string') return null;
  const appId = typeof record.appId === 'number' ? record.appId : null;
  const lastUpdatedAt = typeof record.lastUpdatedAt === 'number' ? record.lastUpdatedAt : null;
  return { id: record.id, appId, lastUpdatedAt };
}

/**
 * Streams the key of every record Pendo lists for an entity: through an aggregation that
 * selects three fields where the entity has one, otherwise through its list endpoint.
 */
export async function* listRecordKeys(
  pendo: PendoClient,
  spec: EntitySpec,
  appIds: number[] | 'all',
): AsyncGenerator<RecordKey[]> {
  const pages = spec.aggregationSource
    ? pendo.aggregate([
        { source: { [spec.aggregationSource]: { appId: appIdSource(appIds) } } },
        { select: { id: 'id', appId: 'appId', lastUpdatedAt: 'lastUpdatedAt' } },
      ])
    : pendo.listObjects(spec.listPath, { expandAllApps: true });
  for await (const records of pages) {
    const keys: RecordKey[] = [];
    for (const record of records) {
      const key = keyOf(record);
      if (key) keys.push(key);
    }
    yield keys;
  }
}
