import type { PendoRecord } from '../../../types';
import type { Bucket, EventContext, Slice } from './event-context';
import type { Visit } from './visits';
import { MAX_VISIT_MS, eventTime, eventsBefore, firstIndexFrom, visitAt } from './visits';
import type { AppPool } from './pools';
import type { EventSource } from './streams';
import { STREAMS } from './streams';

const MINUTE_MS = 60_000;

/** Catalog ids each aggregate source's rows refer to. */
const TARGET_POOLS: Record<EventSource, (pool: AppPool) => string[]> = {
  pageEvents: (pool) => pool.pages,
  featureEvents: (pool) => pool.features,
  trackEvents: (pool) => pool.trackTypes,
  events: () => [],
  guideEvents: () => [],
  pollEvents: () => [],
};

/** Returns the app's host name, as the `server` of its events. */
export function serverOf(appIndex: number): string {
  return appIndex === 0 ? 'app.example.com' : `app${appIndex}.example.com`;
}

/** Returns the target id of a visit, or undefined when the app has no such records. */
function targetOf(slice: Slice, pool: AppPool, visit: Visit): string | undefined {
  const ids = TARGET_POOLS[slice.source](pool);
  return ids[Math.floor(visit.targetDraw ** 2.5 * ids.length)];
}

/** Share of a visit's frustration count that falls in events [from, to). */
function portion(total: number, visit: Visit, from: number, to: number): number {
  return Math.floor((total * to) / visit.events) - Math.floor((total * from) / visit.events);
}

function pageCounters(row: PendoRecord, visit: Visit, from: number, to: number): void {
  const [rage, dead, error, uTurn] = visit.frustration;
  row.deadClickCount = portion(dead, visit, from, to);
  row.errorClickCount = portion(error, visit, from, to);
  row.rageClickCount = portion(rage, visit, from, to);
  row.uTurnCount = portion(uTurn, visit, from, to);
}

/**
 * Builds the aggregate row of a visit's events inside `bucket` that happened before
 * `visibleUntil`, or undefined when there are none. The row carries
 * the fields of Pendo's sample rows plus `firstTime`, `lastTime` and `parameters`.
 */
export function aggregateRow(
  context: EventContext,
  slice: Slice,
  visit: Visit,
  bucket: Bucket,
  visibleUntil: number,
): PendoRecord | undefined {
  const from = eventsBefore(visit, bucket.start);
  const to = eventsBefore(visit, Math.min(bucket.end, visibleUntil));
  if (to <= from) return undefined;
  const stream = STREAMS[slice.source];
  const target = stream.targetField ? targetOf(slice, context.pool(slice.appIndex), visit) : '';
  if (target === undefined) return undefined;
  const firstTime = eventTime(visit, from);
  const lastTime = eventTime(visit, to - 1);
  const traits = context.traits(visit.visitorSlot);
  const row: PendoRecord = {
    accountId: traits.accountId,
    appId: context.apps[slice.appIndex],
    [bucket.period]: bucket.start,
  };
  if (slice.source === 'pageEvents') pageCounters(row, visit, from, to);
  if (stream.targetField) row[stream.targetField] = target;
  row.firstTime = firstTime;
  row.lastTime = lastTime;
  row.numEvents = to - from;
  row.numMinutes = Math.floor((lastTime - firstTime) / MINUTE_MS) + 1;
  row.parameters = null;
  row.remoteIp = traits.remoteIps[visit.ipVariant];
  row.server = serverOf(slice.appIndex);
  row.userAgent = traits.userAgent;
  row.visitorId = context.visitorId(visit.visitorSlot);
  return row;
}

/** Yields the aggregate rows of one slice in one bucket, in visit order. */
export function* aggregateSliceRows(
  context: EventContext,
  slice: Slice,
  bucket: Bucket,
  visibleUntil: number,
  isIgnored: (slot: number) => boolean,
): Generator<PendoRecord> {
  const windowEnd = Math.min(bucket.end, visibleUntil, slice.dayEnd);
  if (slice.size === 0 || windowEnd <= slice.dayStart) return;
  const lookback = Math.max(slice.dayStart, bucket.start - MAX_VISIT_MS);
  const first = lookback <= slice.dayStart ? 0 : firstIndexFrom(context, slice, lookback);
  for (let index = first; index < slice.size; index++) {
    const visit = visitAt(context, slice, index, isIgnored);
    if (visit.firstTime >= windowEnd) return;
    const row = aggregateRow(context, slice, visit, bucket, visibleUntil);
    if (row) yield row;
  }
}
