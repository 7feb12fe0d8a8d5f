import { Random } from '../../random';
import { diurnal, skewedIndex } from '../skew';
import type { EventContext, Slice } from './event-context';

/** Maximum visit length. An hour bucket looks back this far for visits still running. */
export const MAX_VISIT_MS = 2 * 60 * 60 * 1000;

/** One visitor's activity on one target in one day: the unit aggregate rows are cut from. */
export interface Visit {
  firstTime: number;
  lastTime: number;
  /** Number of events; they are spread evenly from `firstTime` to `lastTime`. */
  events: number;
  visitorSlot: number;
  /** Index into the app pool of the source's target (pages, features, track types). */
  targetDraw: number;
  ipVariant: 0 | 1;
  /** Frustration counts of the whole visit, for page events. */
  frustration: [rage: number, dead: number, error: number, uTurn: number];
  random: Random;
}

function visitRandom(context: EventContext, slice: Slice, index: number): Random {
  return Random.of(context.seed, slice.source, slice.appIndex, slice.dayStart, index);
}

/**
 * Returns the start of visit `index`. Starts increase with the index: position i + u in a
 * day of `size` visits, mapped through the daily activity curve.
 */
export function visitStart(context: EventContext, slice: Slice, index: number): number {
  return startFromDraw(slice, index, visitRandom(context, slice, index).next());
}

/** Returns the start of visit `index` given the first draw of its generator. */
function startFromDraw(slice: Slice, index: number, draw: number): number {
  const position = diurnal((index + draw) / slice.size);
  return slice.dayStart + Math.floor(position * (slice.dayEnd - slice.dayStart));
}

/** Returns the first index whose start is at or after `time` (binary search; `size` if none). */
export function firstIndexFrom(context: EventContext, slice: Slice, time: number): number {
  let low = 0;
  let high = slice.size;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (visitStart(context, slice, middle) < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Returns the visitor slot `draw`, or the next one whose events Pendo processes: it drops
 * the events of do-not-process visitors. Looks at most 16 slots ahead.
 */
export function activeVisitor(
  context: EventContext,
  draw: number,
  isIgnored: (slot: number) => boolean,
): number {
  for (let step = 0; step < 16; step++) {
    const slot = (draw + step) % context.visitorCount;
    if (!isIgnored(slot)) return slot;
  }
  return draw;
}

/** Generates visit `index` of a slice. */
export function visitAt(
  context: EventContext,
  slice: Slice,
  index: number,
  isIgnored: (slot: number) => boolean,
): Visit {
  const random = visitRandom(context, slice, index);
  const firstTime = startFromDraw(slice, index, random.next());
  const events = 1 + skewedIndex(random, 40, 4);
  const gap = random.int(2_000, 90_000);
  const lastTime = Math.min(
    firstTime + Math.min(MAX_VISIT_MS, (events - 1) * gap),
    slice.dayEnd - 1,
  );
  const visitorSlot = activeVisitor(
    context,
    skewedIndex(random, context.visitorCount, 2.5),
    isIgnored,
  );
  const frustration: Visit['frustration'] = [
    random.chance(0.05) ? random.int(1, 4) : 0,
    random.chance(0.08) ? random.int(1, 3) : 0,
    random.chance(0.03) ? 1 : 0,
    random.chance(0.04) ? 1 : 0,
  ];
  return {
    firstTime,
    lastTime,
    events,
    visitorSlot,
    targetDraw: random.next(),
    ipVariant: random.chance(0.9) ? 0 : 1,
    frustration,
    random,
  };
}

/** Returns how many events of the visit happen before `time`. */
export function eventsBefore(visit: Visit, time: number): number {
  if (time <= visit.firstTime) return 0;
  if (time > visit.lastTime) return visit.events;
  const span = visit.lastTime - visit.firstTime;
  return Math.min(visit.events, Math.ceil(((time - visit.firstTime) * (visit.events - 1)) / span));
}

/** Returns the time of event `k` (0-based) of the visit. */
export function eventTime(visit: Visit, k: number): number {
  if (visit.events === 1) return visit.firstTime;
  const span = visit.lastTime - visit.firstTime;
  return visit.firstTime + Math.floor((k * span) / (visit.events - 1));
}
