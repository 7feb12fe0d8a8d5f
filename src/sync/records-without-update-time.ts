import { listIdsWithoutUpdateTime } from '../db/ids-without-update-time';
import type { PassContext } from './context';
import type { AggregationSpec } from './entities';
import { IDS_PER_REQUEST, storeRecordsById } from './records-by-id';
import { deletionScope } from './scope';

/**
 * Reads again, by id, every live row stored without an update time (visitors and accounts
 * without `metadata.auto.lastupdated`) and merges what Pendo returns, so that an incremental
 * run stores changes that its keyset filter cannot select. Unchanged records rewrite no row.
 * It pages through the table in id order, one request of IDS_PER_REQUEST ids at a time, so
 * memory stays at one page. This costs one request per IDS_PER_REQUEST such rows on every
 * incremental run, and one query when there are none. Returns true when the deadline passed
 * after a page, and the next run starts again from the first id.
 *
 * NOTE: it keeps no checkpoint. When every run's time limit passes before its last page, the
 * rows beyond the pages a run reaches are read again only by `sync --full`.
 */
export async function refreshRecordsWithoutUpdateTime(
  ctx: PassContext,
  spec: AggregationSpec,
): Promise<boolean> {
  const scope = deletionScope(ctx, spec);
  let afterId: string | null = null;
  for (;;) {
    const ids = await listIdsWithoutUpdateTime(ctx.pool, ctx.entity, {
      afterId,
      limit: IDS_PER_REQUEST,
      scope,
    });
    if (ids.length === 0) return false;
    if (afterId === null) ctx.progress.start(ctx.entity, 'recheck', 'incremental', undefined);
    afterId = ids[ids.length - 1] ?? null;
    const fetched = await storeRecordsById(ctx, spec, ids);
    ctx.logger.debug(
      { requested: ids.length, fetched },
      'read again records stored without an update time',
    );
    ctx.progress.advance(ctx.entity, ctx.counts);
    await ctx.reportProgress();
    if (ids.length < IDS_PER_REQUEST) return false;
    if (ctx.deadline.passed()) return true;
  }
}
