import { listUnstoredSeenIds } from '../db/unstored-seen-ids';
import { withTransaction } from '../db/transaction';
import type { PassContext } from './context';
import type { AggregationSpec } from './entities';
import { IDS_PER_REQUEST, storeRecordsById } from './records-by-id';

/**
 * Fetches and stores the records whose ids the id pass `passId` saw but which have no row.
 * After an incremental pass these are records without a timestamp (visitors and accounts
 * without `metadata.auto.lastupdated`), which the keyset filter never returns. It costs one
 * query when there are none. It stops early when the deadline passes, and the next id pass
 * finds the rest. Later changes to such records are read by `refreshRecordsWithoutUpdateTime`.
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
    const stored = await storeRecordsById(ctx, spec, ids);
    ctx.logger.info({ requested: ids.length, stored }, 'stored records the keyset passes missed');
    if (ids.length < IDS_PER_REQUEST || ctx.deadline.passed()) return;
  }
}
