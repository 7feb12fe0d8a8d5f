import { recordIdOf } from '../db/rows';
import type { PendoRecord, RecordKeys } from '../types';
import type { PassContext } from './context';
import type { EntitySpec } from './entities';
import type { SourceScope } from './pipelines';

/**
 * Returns the rows a complete pass covers: every row, or only the configured apps' rows of an
 * app-level entity. Subscription-level entities are always read whole.
 */
export function deletionScope(ctx: PassContext, spec: EntitySpec): { appIds?: number[] } {
  if (!spec.appScoped || ctx.options.appIds === 'all') return {};
  return { appIds: ctx.options.appIds };
}

/** Returns the ids of the records, read from the field `keys` names; other records are skipped. */
export function idsOf(records: PendoRecord[], keys: Pick<RecordKeys, 'idField'>): string[] {
  const ids: string[] = [];
  for (const record of records) {
    const id = recordIdOf(record, keys);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

/** Returns what the pass's pipelines read, from the entity and the run's options. */
export function sourceScope(ctx: PassContext, spec: SourceScope['spec']): SourceScope {
  return {
    spec,
    appIds: ctx.options.appIds,
    anonymousVisitors: ctx.options.anonymousVisitors,
  };
}
