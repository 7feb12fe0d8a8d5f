import type pg from 'pg';
import { withTransaction } from '../db/transaction';
import { PendoResponseError, PendoSyncError } from '../errors';
import type { PendoRecord } from '../types';
import type { PassContext, PassOutcome } from './context';
import { rebatch } from './rebatch';
import { sleep, backoffDelayMs } from './sleep';

/** One keyset-paged pass: which page to ask for after a position, and how to commit a batch. */
export interface KeysetPass<P> {
  name: string;
  /** Position after the last committed record, or null to start from the beginning. */
  start: P | null;
  /** The aggregation pipeline of the page that follows `after`, with `limit` = page size. */
  pipeline(after: P | null): unknown[];
  /** The position after `batch`; never earlier than `after`. */
  advance(after: P | null, batch: PendoRecord[]): P | null;
  /** Writes the batch and its position in the caller's transaction. */
  commit(client: pg.PoolClient, batch: PendoRecord[], position: P | null): Promise<void>;
  same(a: P | null, b: P | null): boolean;
}

interface PageResult<P> {
  received: number;
  position: P | null;
  stopped: boolean;
}

async function readPage<P>(
  ctx: PassContext,
  pass: KeysetPass<P>,
  after: P | null,
): Promise<PageResult<P>> {
  let position = after;
  let received = 0;
  for await (const batch of rebatch(
    ctx.pendo.aggregate(pass.pipeline(after)),
    ctx.options.batchSize,
  )) {
    const next = pass.advance(position, batch);
    await withTransaction(ctx.pool, (client) => pass.commit(client, batch, next));
    position = next;
    received += batch.length;
    ctx.counts.fetched += batch.length;
    ctx.progress.advance(ctx.entity, ctx.counts);
    await ctx.reportProgress();
    // Leaving the loop closes the response, so a stopped run does not download the rest.
    if (ctx.deadline.passed()) return { received, position, stopped: true };
  }
  return { received, position, stopped: false };
}

/**
 * Pages through an aggregation on a keyset: each page starts after the last committed
 * position, so a failure in the middle of a response resumes from the committed position.
 * Batches and positions commit together, which is what makes a killed run safe to rerun.
 */
export async function runKeysetPass<P>(
  ctx: PassContext,
  pass: KeysetPass<P>,
): Promise<PassOutcome & { position: P | null }> {
  let position = pass.start;
  let failures = 0;
  for (;;) {
    if (ctx.deadline.passed()) return { stopped: true, cursor: null, position };
    let page: PageResult<P>;
    const before = position;
    try {
      page = await readPage(ctx, pass, before);
    } catch (error) {
      if (
        !(error instanceof PendoSyncError) ||
        !error.retryable ||
        ++failures >= ctx.options.maxAttempts
      ) {
        throw error;
      }
      const delayMs = backoffDelayMs(failures);
      ctx.logger.warn(
        { entity: ctx.entity, pass: pass.name, err: error, attempt: failures, delayMs },
        `page failed, retry ${failures} of ${ctx.options.maxAttempts - 1} from the last committed position`,
      );
      await sleep(delayMs);
      // The failed page may have committed some batches; the next page starts after them.
      continue;
    }
    position = page.position;
    failures = 0;
    if (page.stopped) return { stopped: true, cursor: null, position };
    if (page.received < ctx.options.pageSize) return { stopped: false, cursor: null, position };
    if (pass.same(before, position)) {
      throw new PendoResponseError(
        `Pendo returned a full page of ${page.received} ${ctx.entity} records that did not move past the cursor ${JSON.stringify(position)}; the aggregation ignored its filter or sort. Lower SYNC_PAGE_SIZE only if Pendo caps results below it.`,
      );
    }
  }
}
