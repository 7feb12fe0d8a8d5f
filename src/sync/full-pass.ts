import { randomUUID } from 'node:crypto';
import { markFullPassDone, saveFullPassCheckpoint, saveIncrementalCursor } from '../db/cursors';
import type { FullPassCheckpoint, SyncState } from '../db/cursors';
import { mergeRecords } from '../db/merge-records';
import { clearSeenIds, markMissingDeleted, recordSeenIds } from '../db/seen-ids';
import { withTransaction } from '../db/transaction';
import type { Cursor } from '../types';
import type { PassContext, PassOutcome } from './context';
import { addMergeCounts, withCountedTransaction } from './counts';
import { advanceId, compareCursors } from './cursor';
import type { AggregationSpec } from './entities';
import { runKeysetPass } from './keyset-pages';
import { retryRequest } from './retry-request';
import { allByIdPipeline, newestPipeline, withoutPaging } from './pipelines';
import { deletionScope, idsOf, sourceScope } from './scope';

async function readNewestTimestamp(
  ctx: PassContext,
  spec: AggregationSpec,
): Promise<number | null> {
  for await (const rows of ctx.pendo.aggregate(newestPipeline(sourceScope(ctx, spec)))) {
    const value = rows[0]?.lastUpdatedAt;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

function newestTimestamp(ctx: PassContext, spec: AggregationSpec): Promise<number | null> {
  return retryRequest(ctx, 'newest timestamp', () => readNewestTimestamp(ctx, spec));
}

async function beginFullPass(ctx: PassContext, spec: AggregationSpec): Promise<FullPassCheckpoint> {
  // Changes made while the pass runs are newer than this, so incremental runs pick them up.
  const highWaterTs = await newestTimestamp(ctx, spec);
  const checkpoint: FullPassCheckpoint = {
    passId: randomUUID(),
    cursorId: null,
    highWaterTs,
    startedAt: new Date(),
  };
  await withTransaction(ctx.pool, async (client) => {
    await clearSeenIds(client, ctx.entity);
    await saveFullPassCheckpoint(client, ctx.entity, checkpoint);
  });
  return checkpoint;
}

function cursorAfterFullPass(state: SyncState, checkpoint: FullPassCheckpoint): Cursor | null {
  if (checkpoint.highWaterTs === null) return state.cursor;
  const reached: Cursor = { timestamp: checkpoint.highWaterTs, id: '' };
  if (state.cursor && compareCursors(state.cursor, reached) > 0) return state.cursor;
  return reached;
}

/**
 * Reads every record of every app (or of the subscription) in id order, resuming an unfinished pass from its
 * checkpoint. Records not seen by a complete pass are marked deleted.
 */
export async function runFullPass(
  ctx: PassContext,
  spec: AggregationSpec,
  state: SyncState,
): Promise<PassOutcome> {
  const { pageSize } = ctx.options;
  const scope = sourceScope(ctx, spec);
  const checkpoint = state.fullPass ?? (await beginFullPass(ctx, spec));
  const total = await ctx.pendo
    .count(withoutPaging(allByIdPipeline(scope, null, pageSize)))
    .catch((error: unknown) => {
      ctx.logger.debug({ err: error }, 'count for progress failed');
      return undefined;
    });
  ctx.progress.start(ctx.entity, state.fullPass ? 'full (resumed)' : 'full', 'full', total);

  const outcome = await runKeysetPass<string>(ctx, {
    name: 'full',
    start: checkpoint.cursorId,
    pipeline: (after) => allByIdPipeline(scope, after, pageSize),
    advance: (after, batch) => advanceId(after, batch, spec),
    same: (a, b) => a === b,
    commit: async (client, batch, position, counts) => {
      addMergeCounts(counts, await mergeRecords(client, ctx.entity, batch));
      await recordSeenIds(client, ctx.entity, checkpoint.passId, idsOf(batch, spec));
      await saveFullPassCheckpoint(client, ctx.entity, { ...checkpoint, cursorId: position });
    },
  });
  if (outcome.stopped) return { stopped: true, cursor: state.cursor };

  const cursor = cursorAfterFullPass(state, checkpoint);
  await withCountedTransaction(ctx.pool, ctx.counts, async (client, counts) => {
    counts.deleted += await markMissingDeleted(
      client,
      ctx.entity,
      checkpoint.passId,
      deletionScope(ctx, spec),
    );
    if (cursor) await saveIncrementalCursor(client, ctx.entity, cursor);
    await saveFullPassCheckpoint(client, ctx.entity, null);
    await markFullPassDone(client, ctx.entity);
    await clearSeenIds(client, ctx.entity);
  });
  return { stopped: false, cursor };
}
