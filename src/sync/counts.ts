import type pg from 'pg';
import { withTransaction } from '../db/transaction';
import { emptyCounts } from './context';
import type { EntityCounts } from './context';

/** Adds one merge's outcome to an entity's counters. */
export function addMergeCounts(
  counts: EntityCounts,
  merged: { inserted: number; updated: number; unchanged: number; undeleted: number },
): void {
  counts.inserted += merged.inserted;
  counts.updated += merged.updated;
  counts.unchanged += merged.unchanged;
  counts.undeleted += merged.undeleted;
}

/**
 * Runs `fn` in a transaction (see withTransaction) and adds the counters it writes to
 * `counts` only once the transaction has committed. withTransaction runs `fn` again after a
 * retryable error such as a lost connection, so counters added directly inside `fn` would
 * also count the work of attempts that were rolled back.
 */
export async function withCountedTransaction<T>(
  pool: pg.Pool,
  counts: EntityCounts,
  fn: (client: pg.PoolClient, counts: EntityCounts) => Promise<T>,
): Promise<T> {
  let attempt = emptyCounts();
  const result = await withTransaction(pool, (client) => {
    attempt = emptyCounts();
    return fn(client, attempt);
  });
  for (const key of Object.keys(attempt) as (keyof EntityCounts)[]) counts[key] += attempt[key];
  return result;
}
