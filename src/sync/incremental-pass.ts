import { saveIncrementalCursor } from '../db/cursors';
import { mergeRecords } from '../db/merge-records';
import type { Cursor } from '../types';
import type { PassContext, PassOutcome } from './context';
import { addMergeCounts } from './counts';
import { advanceCursor, sameCursor } from './cursor';
import type { AggregationSpec } from './entities';
import { runKeysetPass } from './keyset-pages';
import { changedSincePipeline, withoutPaging } from './pipelines';
import { sourceScope } from './scope';

/**
 * Reads the records changed since `cursor`, in (timestamp, id) order, and commits each
 * batch with the cursor after it. Records that share a timestamp across a page boundary
 * are neither skipped nor read again, because the next page starts after the exact
 * (timestamp, id) pair.
 */
export async function runIncrementalPass(
  ctx: PassContext,
  spec: AggregationSpec,
  cursor: Cursor | null,
): Promise<PassOutcome> {
  const { pageSize } = ctx.options;
  const scope = sourceScope(ctx, spec);
  const total = await ctx.pendo
    .count(withoutPaging(changedSincePipeline(scope, cursor, pageSize)))
    .catch((error: unknown) => {
      ctx.logger.debug({ err: error }, 'count for progress failed');
      return undefined;
    });
  ctx.progress.start(ctx.entity, 'incremental', 'incremental', total);

  const outcome = await runKeysetPass<Cursor>(ctx, {
    name: 'incremental',
    start: cursor,
    pipeline: (after) => changedSincePipeline(scope, after, pageSize),
    advance: (after, batch) => advanceCursor(after, batch, spec),
    same: sameCursor,
    commit: async (client, batch, position, counts) => {
      addMergeCounts(counts, await mergeRecords(client, ctx.entity, batch));
      if (position) await saveIncrementalCursor(client, ctx.entity, position);
    },
  });
  return { stopped: outcome.stopped, cursor: outcome.position };
}
