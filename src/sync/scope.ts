import type { PendoRecord } from '../types';
import type { PassContext } from './context';

/** Returns the rows a complete pass covers: every row, or only the configured apps' rows. */
export function deletionScope(ctx: PassContext): { appIds?: number[] } {
  return ctx.options.appIds === 'all' ? {} : { appIds: ctx.options.appIds };
}

export function idsOf(records: PendoRecord[]): string[] {
  const ids: string[] = [];
  for (const record of records) {
    if (typeof record.id === 'string') ids.push(record.id);
  }
  return ids;
}
