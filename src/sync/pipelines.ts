import { afterCursor, appIdSource, filterString } from '../pendo/filter';
import type { Cursor } from '../types';
import type { EntitySpec } from './entities';

type AggregationSource = NonNullable<EntitySpec['aggregationSource']>;

function source(name: AggregationSource, appIds: number[] | 'all'): unknown {
  return { source: { [name]: { appId: appIdSource(appIds) } } };
}

/** Records changed after `cursor`, in (lastUpdatedAt, id) order. */
export function changedSincePipeline(
  name: AggregationSource,
  appIds: number[] | 'all',
  cursor: Cursor | null,
  limit: number,
): unknown[] {
  const stages: unknown[] = [source(name, appIds)];
  if (cursor) stages.push({ filter: afterCursor('lastUpdatedAt', 'id', cursor) });
  stages.push({ sort: ['lastUpdatedAt', 'id'] }, { limit });
  return stages;
}

/** Every record with an id after `afterId`, in id order: the pages of a full pass. */
export function allByIdPipeline(
  name: AggregationSource,
  appIds: number[] | 'all',
  afterId: string | null,
  limit: number,
): unknown[] {
  const stages: unknown[] = [source(name, appIds)];
  if (afterId !== null) stages.push({ filter: `id > ${filterString(afterId)}` });
  stages.push({ sort: ['id'] }, { limit });
  return stages;
}

/** Only the ids of every record: the cheap pass that finds deletions. */
export function idsPipeline(name: AggregationSource, appIds: number[] | 'all'): unknown[] {
  return [source(name, appIds), { select: { id: 'id' } }];
}

/** The newest record's lastUpdatedAt: where incremental syncs continue after a full pass. */
export function newestPipeline(name: AggregationSource, appIds: number[] | 'all'): unknown[] {
  return [
    source(name, appIds),
    { sort: ['-lastUpdatedAt'] },
    { limit: 1 },
    { select: { lastUpdatedAt: 'lastUpdatedAt' } },
  ];
}

/** The records a pipeline's filter admits, counted by Pendo; for progress estimates. */
export function withoutPaging(stages: unknown[]): unknown[] {
  return stages.filter((stage) => {
    const keys = Object.keys(stage as object);
    return !keys.includes('limit') && !keys.includes('sort');
  });
}
