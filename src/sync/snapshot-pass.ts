import { randomUUID } from 'node:crypto';
import { markFullPassDone } from '../db/cursors';
import { mergeRecords } from '../db/merge-records';
import { clearSeenIds, markMissingDeleted, recordSeenIds } from '../db/seen-ids';
import { withTransaction } from '../db/transaction';
import type { PassContext, PassOutcome } from './context';
import { addMergeCounts, withCountedTransaction } from './counts';
import type { EntitySpec } from './entities';
import { idsOf } from './scope';
import { readWholeStream } from './whole-stream';

/**
 * Reads a whole list endpoint (every app) and marks rows it did not return as deleted.
 * Used for entities without an aggregation source; unchanged rows are not rewritten, so
 * a run costs one download and almost no writes when little changed.
 */
export async function runSnapshotPass(ctx: PassContext, spec: EntitySpec): Promise<PassOutcome> {
  const listPath = spec.listPath;
  if (!listPath) throw new TypeError(`${spec.entity} has neither a list endpoint nor a source`);
  const passId = randomUUID();
  await withTransaction(ctx.pool, (client) => clearSeenIds(client, ctx.entity));
  ctx.progress.start(ctx.entity, 'full list', 'full', undefined);

  const stopped = await readWholeStream(
    ctx,
    'full list',
    () => ctx.pendo.listObjects(listPath, { expandAllApps: true }),
    ctx.options.batchSize,
    async (batch) => {
      await withCountedTransaction(ctx.pool, ctx.counts, async (client, counts) => {
        addMergeCounts(counts, await mergeRecords(client, ctx.entity, batch));
        await recordSeenIds(client, ctx.entity, passId, idsOf(batch, spec));
      });
      ctx.counts.fetched += batch.length;
      ctx.progress.advance(ctx.entity, ctx.counts);
      await ctx.reportProgress();
    },
  );
  if (stopped) return { stopped: true, cursor: null };

  await withCountedTransaction(ctx.pool, ctx.counts, async (client, counts) => {
    counts.deleted += await markMissingDeleted(client, ctx.entity, passId, {});
    await markFullPassDone(client, ctx.entity);
    await clearSeenIds(client, ctx.entity);
  });
  return { stopped: false, cursor: null };
}
