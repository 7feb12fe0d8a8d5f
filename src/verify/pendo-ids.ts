import { recordIdOf, recordTimestampOf } from '../db/rows';
import type { PendoClient } from '../pendo/client';
import type { EntitySpec } from '../sync/entities';
import { sourceStage } from '../sync/pipelines';
import type { SourceScope } from '../sync/pipelines';
import type { PendoRecord } from '../types';

/** Id, app and update time of one record, as Pendo lists it now. */
export interface RecordKey {
  id: string;
  appId: number | null;
  lastUpdatedAt: number | null;
}

/** Field names of the keys in the rows the aggregation below selects. */
const SELECTED_KEYS = { idField: 'id', timestampPath: 'lastUpdatedAt' } as const;

function keyOf(record: PendoRecord, spec: EntitySpec): RecordKey | null {
  const keys = spec.aggregationSource ? SELECTED_KEYS : spec;
  const id = recordIdOf(record, keys);
  if (id === undefined) return null;
  const appId = typeof record.appId === 'number' ? record.appId : null;
  return { id, appId, lastUpdatedAt: recordTimestampOf(record, keys) ?? null };
}

/**
 * Returns the aggregation that selects each record's id, app and update time, from the same
 * source stage a sync reads, so verify expects exactly the records a sync stores.
 */
function keysPipeline(scope: SourceScope): unknown[] {
  const { spec } = scope;
  const select: Record<string, string> = { id: spec.idField, lastUpdatedAt: spec.timestampPath };
  if (spec.appScoped) select.appId = 'appId';
  return [sourceStage(scope), { select }];
}

/**
 * Streams the key of every record Pendo lists for an entity: through an aggregation that
 * selects the key fields where the entity has one, otherwise through its list endpoint.
 */
export async function* listRecordKeys(
  pendo: PendoClient,
  spec: EntitySpec,
  appIds: number[] | 'all',
  anonymousVisitors = false,
): AsyncGenerator<RecordKey[]> {
  const { aggregationSource, listPath } = spec;
  let pages: AsyncIterable<PendoRecord[]>;
  if (aggregationSource) {
    const scope = { spec: { ...spec, aggregationSource }, appIds, anonymousVisitors };
    pages = pendo.aggregate(keysPipeline(scope));
  } else if (listPath) pages = pendo.listObjects(listPath, { expandAllApps: true });
  else throw new TypeError(`${spec.entity} has neither a list endpoint nor a source`);
  for await (const records of pages) {
    const keys: RecordKey[] = [];
    for (const record of records) {
      const key = keyOf(record, spec);
      if (key) keys.push(key);
    }
    yield keys;
  }
}
