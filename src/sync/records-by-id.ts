import { mergeRecords } from '../db/merge-records';
import { filterString } from '../pendo/filter';
import type { PendoRecord } from '../types';
import type { PassContext } from './context';
import { addMergeCounts, withCountedTransaction } from './counts';
import type { AggregationSpec } from './entities';
import { sourceStage } from './pipelines';
import { retryRequest } from './retry-request';
import { sourceScope } from './scope';

/** Ids requested in one aggregation; each adds one `==` term to the filter. */
export const IDS_PER_REQUEST = 100;

/** Builds a request for the records with the given ids. */
function byIdsPipeline(ctx: PassContext, spec: AggregationSpec, ids: string[]): unknown[] {
  const terms = ids.map((id) => `${spec.idField} == ${filterString(id)}`);
  return [sourceStage(sourceScope(ctx, spec)), { filter: terms.join(' || ') }];
}

/**
 * Fetches the records with the given ids (at most IDS_PER_REQUEST) in one aggregation and
 * merges them in one transaction, adding to the entity's counts. Ids that Pendo no longer
 * has are missing from its response, so they change nothing. Returns the number of records
 * fetched.
 */
export async function storeRecordsById(
  ctx: PassContext,
  spec: AggregationSpec,
  ids: string[],
): Promise<number> {
  const records = await retryRequest(ctx, 'records by id', async () => {
    const fetched: PendoRecord[] = [];
    for await (const page of ctx.pendo.aggregate(byIdsPipeline(ctx, spec, ids))) {
      fetched.push(...page);
    }
    return fetched;
  });
  await withCountedTransaction(ctx.pool, ctx.counts, async (client, counts) => {
    addMergeCounts(counts, await mergeRecords(client, ctx.entity, records));
  });
  ctx.counts.fetched += records.length;
  return records.length;
}
