import type { StoredWindow } from '../../db/events/windows';
import type { EventPeriod } from '../../events/streams';
import type { EventSyncOptions } from '../context';
import { nextLocalDay, startOfLocalDay } from './local-days';

const DAY_MS = 86_400_000;

/** Backfill start when neither `since` nor `sinceBeforeNowMs` is set: 30 days before Pendo's now. */
export const DEFAULT_SINCE_BEFORE_NOW_MS = 30 * DAY_MS;

/**
 * Most windows one plan lists: 100 years of days. It only bounds the loop, since a backfill
 * start that far back is a mistake in the settings.
 */
const MAX_WINDOWS = 36_525;

/** One local day of a stream to read in this run. */
export interface EventWindow {
  start: number;
  end: number;
  /** Period of the first request: the stream's own, or `hour` when an earlier read needed hours. */
  period: EventPeriod;
  /** True when no run has read the window yet. */
  unread: boolean;
}

/** The windows of one stream to read in one run, in reading order. */
export interface WindowPlan {
  windows: EventWindow[];
  /** First instant the stream covers (a local midnight). */
  since: number;
  /** Pendo's time minus the lag: windows starting before it are read. */
  horizon: number;
}

/** Inputs of `planWindows`; all times are epoch ms. */
export interface PlanInput {
  pendoNow: number;
  options: EventSyncOptions;
  /** The stream's own period. */
  period: EventPeriod;
  stored: readonly StoredWindow[];
  /** Retention cutoff (a local midnight); nothing before it is read. */
  cutoff?: number;
}

/** Returns the first instant to read: `since` (or the default) at local midnight, never before the cutoff. */
export function backfillStart(input: Omit<PlanInput, 'stored' | 'period'>): number {
  const { options, pendoNow } = input;
  const requested =
    options.since ?? pendoNow - (options.sinceBeforeNowMs ?? DEFAULT_SINCE_BEFORE_NOW_MS);
  const since = startOfLocalDay(options.timeZone, requested);
  return input.cutoff === undefined ? since : Math.max(since, input.cutoff);
}

/**
 * Lists the local days from the backfill start to Pendo's horizon that still need a read:
 * windows never read first (oldest first), then windows read before but not final yet.
 */
export function planWindows(input: PlanInput): WindowPlan {
  const { options } = input;
  const horizon = input.pendoNow - options.lagMs;
  const since = backfillStart(input);
  const stored = new Map(input.stored.map((window) => [window.start, window]));
  const unread: EventWindow[] = [];
  const again: EventWindow[] = [];
  let start = since;
  for (let count = 0; start < horizon && count < MAX_WINDOWS; count++) {
    const end = nextLocalDay(options.timeZone, start);
    const previous = stored.get(start);
    if (!previous) {
      unread.push({ start, end, period: input.period, unread: true });
    } else if (!previous.final) {
      again.push({ start, end, period: previous.period, unread: false });
    }
    start = end;
  }
  return { windows: [...unread, ...again], since, horizon };
}

/** True when a window read at `horizon` needs no later read: its lookback has passed. */
export function isFinalWindow(
  window: Pick<EventWindow, 'end'>,
  horizon: number,
  lookbackMs: number,
): boolean {
  return window.end + lookbackMs <= horizon;
}
