import { afterCursor, appIdSource, filterString } from '../pendo/filter';
import type { Cursor } from '../types';
import type { AggregationSpec } from './entities';

/** Source of a pipeline: the entity, and the options that narrow its records. */
export interface SourceScope {
  spec: AggregationSpec;
  appIds: number[] | 'all';
  /** Include anonymous visitors (`_PENDO_T_` ids); only the visitors source reads it. */
  anonymousVisitors?: boolean;
}

/**
 * Builds the source stage. App-level sources get the configured `appId`. The visitors source
 * gets `{ identified: true }`, which drops anonymous visitors, unless they are requested.
 * Accounts take no parameters.
 */
export function sourceStage(scope: SourceScope): unknown {
  const { spec } = scope;
  let params: Record<string, unknown> | null = null;
  if (spec.appScoped) params = { appId: appIdSource(scope.appIds) };
  else if (spec.aggregationSource === 'visitors' && !scope.anonymousVisitors) {
    params = { identified: true };
  }
  return { source: { [spec.aggregationSource]: params } };
}

/** Builds a page of records changed after `cursor`, in (timestamp, id) order. */
export function changedSincePipeline(
  scope: SourceScope,
  cursor: Cursor | null,
  limit: number,
): unknown[] {
  const { idField, timestampPath } = scope.spec;
  const stages: unknown[] = [sourceStage(scope)];
  if (cursor) stages.push({ filter: afterCursor(timestampPath, idField, cursor) });
  stages.push({ sort: [timestampPath, idField] }, { limit });
  return stages;
}

/** Builds a page of a full pass: records with an id after `afterId`, in id order. */
export function allByIdPipeline(
  scope: SourceScope,
  afterId: string | null,
  limit: number,
): unknown[] {
  const { idField } = scope.spec;
  const stages: unknown[] = [sourceStage(scope)];
  if (afterId !== null) stages.push({ filter: `${idField} > ${filterString(afterId)}` });
  stages.push({ sort: [idField] }, { limit });
  return stages;
}

/** Builds a request for the id of every record, as `id`: the cheap pass that finds deletions. */
export function idsPipeline(scope: SourceScope): unknown[] {
  return [sourceStage(scope), { select: { id: scope.spec.idField } }];
}

/**
 * Builds a request for the newest timestamp, as `lastUpdatedAt`, where incremental syncs
 * continue after a full pass.
 */
export function newestPipeline(scope: SourceScope): unknown[] {
  const { timestampPath } = scope.spec;
  return [
    sourceStage(scope),
    { sort: [`-${timestampPath}`] },
    { limit: 1 },
    { select: { lastUpdatedAt: timestampPath } },
  ];
}

/** Removes sort and limit stages, so `count` reports every record the filter admits. */
export function withoutPaging(stages: unknown[]): unknown[] {
  return stages.filter((stage) => {
    const keys = Object.keys(stage as object);
    return !keys.includes('limit') && !keys.includes('sort');
  });
}
