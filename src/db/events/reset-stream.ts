import type pg from 'pg';
import { recomputeRollup } from '../rollups/refresh';
import { resolveRollupScope } from '../rollups/rollup-scope';
import type { RollupScope } from '../rollups/rollup-scope';
import { rollupsOf } from '../rollups/rollup-tables';
import { withTransaction } from '../transaction';
import type { EventStream } from '../../events/streams';
import { EVENT_STREAM_SPECS } from '../../events/streams';
import type { WindowZone } from './window-zones';
import { appScopeOf } from './windows';

/** Counts of the rows and windows that `resetStreamEvents` deleted. */
export interface StreamReset {
  deletedRows: number;
  deletedWindows: number;
  /** Local dates whose rollup rows were recomputed, per rollup scope, as `first..last`. */
  rollupDays: string[];
}

/**
 * Returns the rollup days that the windows of each zone wrote. Windows of an unknown zone
 * take the UTC dates of their first and last instant. Those dates contain the window's local
 * date in any zone, plus at most one more day at either end.
 */
async function rollupScopesOf(
  client: pg.PoolClient,
  zones: readonly WindowZone[],
  appIds: number[] | 'all',
): Promise<RollupScope[]> {
  const scopes: RollupScope[] = [];
  for (const zone of zones) {
    const timeZone = zone.timeZone ?? 'UTC';
    scopes.push(
      await resolveRollupScope(client, { from: zone.from, to: zone.to, timeZone, appIds }),
    );
  }
  return scopes;
}

/**
 * Deletes, in one transaction, a stream's windows of one app scope, the stream's event rows
 * of those apps, and the rollup rows of those apps on the days those windows wrote. The
 * rollups of those days are recomputed from the event table, which then contains no rows of
 * those apps, so the recompute deletes their rows. `zones` are the windows' zones and spans,
 * as `listWindowZones` returns them. The next sync reads the stream again from its start.
 *
 * NOTE: the windows of other app scopes of the stream stay, even where their apps' rows were
 * deleted here. A sync of such a scope reads them again only when its own windows show a
 * zone other than the configured one.
 */
export async function resetStreamEvents(
  pool: pg.Pool,
  reset: { stream: EventStream; appIds: number[] | 'all'; zones: readonly WindowZone[] },
): Promise<StreamReset> {
  const { stream, appIds, zones } = reset;
  const { table } = EVENT_STREAM_SPECS[stream];
  return withTransaction(pool, async (client) => {
    const scopes = await rollupScopesOf(client, zones, appIds);
    const rows = await client.query(
      `delete from ${table} where $1::bigint[] is null or app_id = any($1::bigint[])`,
      [appIds === 'all' ? null : appIds],
    );
    const windows = await client.query(
      'delete from sync_event_windows where stream = $1 and app_scope = $2',
      [stream, appScopeOf(appIds)],
    );
    for (const rollup of rollupsOf(stream)) {
      for (const scope of scopes) await recomputeRollup(client, rollup, scope);
    }
    return {
      deletedRows: rows.rowCount ?? 0,
      deletedWindows: windows.rowCount ?? 0,
      rollupDays: scopes.map((scope) => `${scope.firstDay}..${scope.lastDay}`),
    };
  });
}
