import type pg from 'pg';
import { PendoResponseError, PendoSyncError } from '../errors';
import type { PendoRecord } from '../types';
import type { EntityCounts } from './context';
import type { PassContext, PassOutcome } from './context';
import { withCountedTransaction } from './counts';
import { rebatch } from './rebatch';
import { backoffDelayMs, sleep } from './sleep';

/** One keyset-paged pass: which page to request after a position, and how to commit a batch. */
export interface KeysetPass<P> {
  name: string;
  /** Position after the last committed record, or null to start from the beginning. */
  start: P | null;
  /** The aggregation pipeline of the page that follows `after`, with `limit` = page size. */
  pipeline(after: P | null): unknown[];
  /** The position after `batch`; never earlier than `after`. */
  advance(after: P | null, batch: PendoRecord[]): P | null;
  /**
   * Writes the batch and its position in the caller's transaction, and adds what it wrote to
   * `counts`, which reach the entity's counters only when the transaction commits.
   */
  commit(
    client: pg.PoolClient,
    batch: PendoRecord[],
    position: P | null,
    counts: EntityCounts,
  ): Promise<void>;
  same(a: P | null, b: P | null): boolean;
}

/** Progress of a pass, updated after every committed batch so a failed page keeps it. */
interface PassProgress<P> {
  position: P | null;
  committedBatches: number;
}

/**
 * Reads one page and commits it batch by batch. Returns the records received, or null when
 * the deadline stopped the page. At least one batch of the pass commits before the deadline
 * is honoured, so a run whose setup requests outlast its time limit still makes progress.
 */
async function readPage<P>(
  ctx: PassContext,
  pass: KeysetPass<P>,
  progress: PassProgress<P>,
): Promise<number | null> {
  let received = 0;
  const pages = ctx.pendo.aggregate(pass.pipeline(progress.position));
  for await (const batch of rebatch(pages, ctx.options.batchSize)) {
    const next = pass.advance(progress.position, batch);
    await withCountedTransaction(ctx.pool, ctx.counts, (client, counts) =>
      pass.commit(client, batch, next, counts),
    );
    progress.position = next;
    progress.committedBatches += 1;
    received += batch.length;
    ctx.counts.fetched += batch.length;
    ctx.progress.advance(ctx.entity, ctx.counts);
    await ctx.reportProgress();
    // Leaving the loop closes the response, so a stopped run does not download the rest.
    if (ctx.deadline.passed()) return null;
  }
  return received;
}

/**
 * Pages through an aggregation on a keyset: each page starts after the last committed
 * position, so a failure in the middle of a response resumes after the batches it committed.
 * Batches and positions commit together, which is what makes a killed run safe to rerun.
 */
export async function runKeysetPass<P>(
  ctx: PassContext,
  pass: KeysetPass<P>,
): Promise<PassOutcome & { position: P | null }> {
  const progress: PassProgress<P> = { position: pass.start, committedBatches: 0 };
  let failures = 0;
  for (;;) {
    if (progress.committedBatches > 0 && ctx.deadline.passed()) {
      return { stopped: true, cursor: null, position: progress.position };
    }
    const before = progress.position;
    const batchesBefore = progress.committedBatches;
    let received: number | null;
    try {
      received = await readPage(ctx, pass, progress);
    } catch (error) {
      // The retry budget counts consecutive failures without progress: a page that broke
      // after committing batches moved the position, so the next attempt starts fresh.
      if (progress.committedBatches > batchesBefore) failures = 0;
      if (
        !(error instanceof PendoSyncError) ||
        !error.retryable ||
        ++failures >= ctx.options.maxAttempts
      ) {
        throw error;
      }
      const delayMs = backoffDelayMs(failures);
      ctx.logger.warn(
        { pass: pass.name, err: error, attempt: failures, delayMs },
        `page failed, retry ${failures} of ${ctx.options.maxAttempts - 1} from the last committed position`,
      );
      await sleep(delayMs);
      continue;
    }
    failures = 0;
    if (received === null) return { stopped: true, cursor: null, position: progress.position };
    if (received < ctx.options.pageSize) {
      return { stopped: false, cursor: null, position: progress.position };
    }
    if (pass.same(before, progress.position)) {
      throw new PendoResponseError(
        `Pendo returned a full page of ${received} ${ctx.entity} records that did not move past the cursor ${JSON.stringify(progress.position)}; the aggregation ignored its filter or sort. Lower SYNC_PAGE_SIZE only if Pendo caps results below it.`,
      );
    }
  }
}
