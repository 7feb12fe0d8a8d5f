import { resetStreamEvents } from '../../db/events/reset-stream';
import { adoptWindowZone, listWindowZones } from '../../db/events/window-zones';
import type { WindowPlan } from './plan-windows';
import type { StreamContext } from './stream-context';

/**
 * Starts a stream over when its stored windows were read in another time zone than the one
 * configured now. Windows are local days and rollups count local days, so rows of two zones
 * cannot be mixed. Windows of an unknown zone (read before the zone was recorded) whose
 * bounds are local midnights of the current zone are kept and marked with it. When any other
 * window remains, logs a warning naming both zones, then deletes the stream's windows, event
 * rows and rollup rows of the app scope in one transaction, so the plan reads from `since`.
 * Returns true when it deleted them.
 */
export async function resetOnTimeZoneChange(ctx: StreamContext): Promise<boolean> {
  const { stream } = ctx.spec;
  const { appIds } = ctx.options;
  const { timeZone } = ctx.events;
  await adoptWindowZone(ctx.pool, stream, appIds, timeZone);
  const zones = await listWindowZones(ctx.pool, stream, appIds);
  const previous = zones.filter((zone) => zone.timeZone !== timeZone);
  if (previous.length === 0) return false;

  const names = previous.map((zone) => zone.timeZone ?? 'an unknown zone');
  ctx.logger.warn(
    { previousTimeZones: names, timeZone, windows: previous.map((zone) => zone.windows) },
    `time zone changed from ${names.join(', ')} to ${timeZone}: ` +
      `deleting the stream's windows, rows and rollups and reading them again in ${timeZone}`,
  );
  const reset = await resetStreamEvents(ctx.pool, { stream, appIds, zones });
  ctx.logger.info(reset, 'stream reset for the new time zone');
  return true;
}

/** Logs a warning when the backfill start is after Pendo's horizon, so the plan reads nothing. */
export function warnIfSinceInFuture(ctx: StreamContext, plan: WindowPlan): void {
  if (plan.since < plan.horizon) return;
  ctx.logger.warn(
    { since: new Date(plan.since).toISOString(), horizon: new Date(plan.horizon).toISOString() },
    "the backfill start is after Pendo's current time less the lag, so no window is read: " +
      'set --since to a past date',
  );
}
