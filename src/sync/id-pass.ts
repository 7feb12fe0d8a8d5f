import { randomUUID } from 'node:crypto';
import { markIdPassDone } from '../db/cursors';
import {
  clearSeenIds,
  countLiveRows,
  countMissingRows,
  markMissingDeleted,
  recordSeenIds,
  undeleteSeenIds,
} from '../db/seen-ids';
import { withTransaction } from '../db/transaction';
import type { PassContext } from './context';
import { withCountedTransaction } from './counts';
import type { AggregationSpec } from './entities';
import { idsPipeline } from './pipelines';
import { deletionScope, idsOf, sourceScope } from './scope';
import { storeUnstoredRecords } from './unstored-records';
import { readWholeStream } from './whole-stream';

const ID_BATCH_SIZE = 10_000;

/**
 * Largest share of an entity's live rows that an incremental run marks deleted. A larger
 * loss needs a full pass to confirm it. An id pass that comes back nearly empty is more often
 * a misconfigured key or app list than a real mass deletion.
 */
export const MAX_INCREMENTAL_DELETE_SHARE = 0.5;

/**
 * Lists only the ids of an entity (a few bytes per record) and marks rows whose id is gone
 * as deleted. Rows whose id is back are restored, and ids without any row are fetched and
 * stored. Returns true when the deadline stopped it.
 */
export async function runIdPass(ctx: PassContext, spec: AggregationSpec): Promise<boolean> {
  const passId = randomUUID();
  await withTransaction(ctx.pool, (client) => clearSeenIds(client, ctx.entity));
  const stopped = await readWholeStream(
    ctx,
    'deletion check',
    () => ctx.pendo.aggregate(idsPipeline(sourceScope(ctx, spec))),
    ID_BATCH_SIZE,
    async (batch) => {
      await withTransaction(ctx.pool, (client) =>
        // The pipeline selects every id as `id`, whatever the entity's id field is.
        recordSeenIds(client, ctx.entity, passId, idsOf(batch, { idField: 'id' })),
      );
    },
  );
  if (stopped) return true;
  await storeUnstoredRecords(ctx, spec, passId);

  const scope = deletionScope(ctx, spec);
  await withCountedTransaction(ctx.pool, ctx.counts, async (client, counts) => {
    const live = await countLiveRows(client, ctx.entity, scope);
    const missing = await countMissingRows(client, ctx.entity, passId, scope);
    if (missing > 10 && missing > live * MAX_INCREMENTAL_DELETE_SHARE) {
      ctx.logger.warn(
        { live, missing },
        `deletion check found ${missing} of ${live} rows missing from Pendo; not marking them deleted. Run "pendo-sync sync --full" to confirm deletions this large.`,
      );
    } else {
      counts.deleted += await markMissingDeleted(client, ctx.entity, passId, scope);
    }
    counts.undeleted += await undeleteSeenIds(client, ctx.entity, passId);
    await markIdPassDone(client, ctx.entity);
    await clearSeenIds(client, ctx.entity);
  });
  return false;
}
