import { Random } from '../../random';
import { zoneOffset } from '../time-zone';
import type { EventContext, Slice } from './event-context';
import type { EventSource } from './streams';
import { STREAMS } from './streams';

/** Share of events in the default app; the other apps split the rest. */
const DEFAULT_APP_SHARE = 0.6;

function appShare(appCount: number, appIndex: number): number {
  if (appCount === 1) return 1;
  return appIndex === 0 ? DEFAULT_APP_SHARE : (1 - DEFAULT_APP_SHARE) / (appCount - 1);
}

/** Weekdays carry more traffic than weekends; the factors average to about 1 over a week. */
function weekdayFactor(timeZone: string, dayStart: number): number {
  const localNoon = dayStart + 12 * 3_600_000;
  const weekday = new Date(localNoon + zoneOffset(timeZone, localNoon)).getUTCDay();
  return weekday === 0 || weekday === 6 ? 0.6 : 1.15;
}

/**
 * Describes the slice of one source, app and local day: its size is drawn from the seed,
 * `eventsPerDay`, the app's share and the weekday, give or take 15%.
 */
export function sliceOf(
  context: EventContext,
  source: EventSource,
  appIndex: number,
  dayStart: number,
  dayEnd: number,
): Slice {
  if (dayStart < context.eventsStart || context.visitorCount === 0)
    return { source, appIndex, dayStart, dayEnd, size: 0 };
  const random = Random.of(context.seed, source, appIndex, dayStart, 'size');
  const mean =
    context.eventsPerDay *
    STREAMS[source].share *
    appShare(context.apps.length, appIndex) *
    weekdayFactor(context.timeZone, dayStart);
  const size = Math.round(mean * (0.85 + 0.3 * random.next()));
  return { source, appIndex, dayStart, dayEnd, size };
}
