import type { EventStream } from '../../events/streams';
import type { Queryable } from '../queryable';
import type { RollupScope } from './rollup-scope';
import { resolveRollupScope } from './rollup-scope';
import type { RollupSpec } from './rollup-spec';
import { rollupsOf } from './rollup-tables';

/** The window whose rollups to recompute: see `refreshRollups`. */
export interface RefreshScope {
  stream: EventStream;
  /** Start of the window just written, epoch ms. */
  from: number;
  /** End of the window just written, epoch ms, exclusive. */
  to: number;
  /** IANA time zone whose local days the rollups count. */
  timeZone: string;
  /** Apps whose rows to recompute; 'all' for every app. */
  appIds: number[] | 'all';
}

/**
 * Replaces one rollup's rows of the scope's days and apps with fresh sums of the event table:
 * one delete and one insert. Returns the number of rows inserted.
 */
export async function recomputeRollup(
  db: Queryable,
  rollup: RollupSpec,
  scope: RollupScope,
): Promise<number> {
  await db.query(
    `delete from ${rollup.table}
     where day between $1::date and $2::date
       and ($3::bigint[] is null or app_id = any($3::bigint[]))`,
    [scope.firstDay, scope.lastDay, scope.appIds],
  );
  const inserted = await db.query(rollup.insertSql, [
    scope.timeZone,
    scope.firstDay,
    scope.lastDay,
    scope.appIds,
  ]);
  return inserted.rowCount ?? 0;
}

/**
 * Recomputes the rollups derived from `stream` for every local day of `timeZone` that
 * [from, to) overlaps, for the given apps, from the rows now in the stream's event table.
 * Whole days are recomputed even when the window covers part of one, so unique visitors stay
 * exact. Call it in the transaction that wrote the window, so readers never see a day whose
 * rollups disagree with its events. track_events has no rollup, so it does nothing for it.
 *
 * NOTE: a day read as its hours (after a 408) recomputes the whole day once per hour window,
 * so such a day costs up to 25 times the work of one day window.
 */
export async function refreshRollups(db: Queryable, scope: RefreshScope): Promise<void> {
  const rollups = rollupsOf(scope.stream);
  if (rollups.length === 0) return;
  const days = await resolveRollupScope(db, scope);
  for (const rollup of rollups) await recomputeRollup(db, rollup, days);
}
