import { afterCursor, appIdSource, filterString } from '../pendo/filter';
import type { Cursor } from '../types';
import type { EntitySpec } from './entities';

type AggregationSource = NonNullable<EntitySpec['aggregationSource']>;

function source(name: AggregationSource, appIds: number[] | 'all'): unknown {
  return { source: { [name]: { appId: appIdSource(appIds) } } };
}

/** Builds a page of records changed after `cursor`, in (lastUpdatedAt, id) order. */
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

/** Builds a page of a full pass: records with an id after `afterId`, in id order. */
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

/** Builds a request for the ids of every record: the cheap pass that finds deletions. */
export function idsPipeline(name: AggregationSource, appIds: number[] | 'all'): unknown[] {
  return [source(name, appIds), { select: { id: 'id' } }];
}

/** Builds a request for the newest lastUpdatedAt, where incremental syncs continue after a full pass. */
export function newestPipeline(name: AggregationSource, appIds: number[] | 'all'): unknown[] {
  return [
    source(name, appIds),
    { sort: ['-lastUpdatedAt'] },
    { limit: 1 },
    { select: { lastUpdatedAt: 'lastUpdatedAt' } },
  ];
}

/** Removes sort and limit stages, so `count` reports every record the filter admits. */
export function withoutPaging(stages: unknown[]): unknown[] {
  return stages.filter((stage) => {
    const keys = Object.keys(stage as object);
    return !keys.includes('limit') && !keys.includes('sort');
  });
}
