import { mergeRecords } from '../db/merge-records';
import { listUnstoredSeenIds } from '../db/unstored-seen-ids';
import { withTransaction } from '../db/transaction';
import { filterString } from '../pendo/filter';
import type { PendoRecord } from '../types';
import type { PassContext } from './context';
import { addMergeCounts, withCountedTransaction } from './counts';
import type { AggregationSpec } from './entities';
import { sourceStage } from './pipelines';
import { retryRequest } from './retry-request';
import { sourceScope } from './scope';

/** Ids requested in one aggregation; each adds one `==` term to the filter. */
const IDS_PER_REQUEST = 100;

/** Builds a request for the records with the given ids. */
function byIdsPipeline(ctx: PassContext, spec: AggregationSpec, ids: string[]): unknown[] {
  const terms = ids.map((id) => `${spec.idField} == ${filterString(id)}`);
  return [sourceStage(sourceScope(ctx, spec)), { filter: terms.join(' || ') }];
}

/**
 * Fetches and stores the records whose ids the id pass `passId` saw but which have no row.
 * After an incremental pass these are records without a timestamp (visitors and accounts
 * without `metadata.auto.lastupdated`), which the keyset filter never returns. It costs one
 * query when there are none. It stops early when the deadline passes, and the next id pass
 * finds the rest.
 *
 * NOTE: a later change to a stored record without a timestamp is still not seen until a full
 * pass, because its row exists and no filter can select the change.
 */
export async function storeUnstoredRecords(
  ctx: PassContext,
  spec: AggregationSpec,
  passId: string,
): Promise<void> {
  let afterId: string | null = null;
  for (;;) {
    const ids = await withTransaction(ctx.pool, (client) =>
      listUnstoredSeenIds(client, ctx.entity, passId, afterId, IDS_PER_REQUEST),
    );
    if (ids.length === 0) return;
    afterId = ids[ids.length - 1] ?? null;
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
    ctx.logger.info(
      { requested: ids.length, stored: records.length },
      'stored records the keyset passes missed',
    );
    if (ids.length < IDS_PER_REQUEST || ctx.deadline.passed()) return;
  }
}
