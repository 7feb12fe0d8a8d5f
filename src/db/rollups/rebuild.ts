import { EVENT_STREAM_SPECS } from '../../events/streams';
import type { Queryable } from '../queryable';
import { recomputeRollup } from './refresh';
import { resolveRollupScope } from './rollup-scope';
import type { RollupSpec } from './rollup-spec';
import { ROLLUPS } from './rollup-tables';

/** Returns the first and last instant (epoch ms) of the rollup's event table, or undefined when empty. */
async function eventTimeRange(
  db: Queryable,
  rollup: RollupSpec,
): Promise<{ first: number; last: number } | undefined> {
  const { table, timeColumn } = EVENT_STREAM_SPECS[rollup.stream];
  const result = await db.query<{ first: string | null; last: string | null }>(
    `select floor(extract(epoch from min(${timeColumn})) * 1000)::bigint::text as first,
            floor(extract(epoch from max(${timeColumn})) * 1000)::bigint::text as last
     from ${table}`,
  );
  const row = result.rows[0];
  if (row?.first == null || row.last == null) return undefined;
  return { first: Number(row.first), last: Number(row.last) };
}

/**
 * Computes every rollup again from the event tables, for every app and every local day
 * (in `timeZone`) from the first to the last stored event of the rollup's table. Use it after
 * changing the time zone or after guides' steps changed. Rollup rows of days outside that
 * range stay as they are, so the sums of days whose events retention dropped are kept.
 * Returns the rows inserted per rollup table. Run it in a transaction so that readers never
 * see a day without its rows.
 *
 * NOTE: each rollup is one statement over its whole event table, so a large table needs
 * temporary disk for the distinct visitor counts. The first day is recomputed from the events
 * still stored, which is only part of it when retention deleted the rest.
 */
export async function rebuildRollups(
  db: Queryable,
  options: { timeZone: string },
): Promise<Record<string, number>> {
  const inserted: Record<string, number> = {};
  for (const rollup of ROLLUPS) {
    inserted[rollup.table] = 0;
    const range = await eventTimeRange(db, rollup);
    if (!range) continue;
    const scope = await resolveRollupScope(db, {
      from: range.first,
      to: range.last + 1,
      timeZone: options.timeZone,
      appIds: 'all',
    });
    inserted[rollup.table] = await recomputeRollup(db, rollup, scope);
  }
  return inserted;
}
