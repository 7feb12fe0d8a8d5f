import type { PendoRecord } from '../../../types';
import { Random } from '../../random';
import { pickSkewed, skewedIndex } from '../skew';
import { startOfHour, HOUR_MS } from '../time-zone';
import type { Bucket, EventContext, Slice } from './event-context';
import type { GuideRef } from './pools';
import { activeVisitor, firstIndexFrom, visitStart } from './visits';
import { serverOf } from './aggregate-rows';

/** Guide event types with their share of events. */
const GUIDE_EVENT_TYPES: readonly [string, number][] = [
  ['guideSeen', 0.5],
  ['guideAdvanced', 0.18],
  ['guideDismissed', 0.17],
  ['guideActivity', 0.1],
  ['guideSnoozed', 0.03],
  ['guideTimeout', 0.02],
];
const FREE_TEXT_ANSWERS = [
  'Love the new dashboard',
  'Export is too slow',
  'Please add a "dark mode"',
  'C:\\exports keeps failing',
  'Très bien 👍',
  '',
];

function pickType(random: Random): string {
  let roll = random.next();
  for (const [type, share] of GUIDE_EVENT_TYPES) {
    roll -= share;
    if (roll < 0) return type;
  }
  return 'guideSeen';
}

/** Returns an NPS score (0-10, mostly high) or a free-text response, as the string Pendo sends. */
function pollResponse(random: Random, numeric: boolean): string {
  if (numeric) return String(10 - skewedIndex(random, 11, 2));
  return random.pick(FREE_TEXT_ANSWERS);
}

/** Returns the fields of an interaction that come from its visitor. */
function visitorFields(context: EventContext, visitorSlot: number): PendoRecord {
  const { accountId, location, remoteIps, userAgent } = context.traits(visitorSlot);
  return {
    accountId,
    accountIds: accountId === '' ? [] : [accountId],
    country: location.country,
    latitude: location.latitude,
    longitude: location.longitude,
    region: location.region,
    remoteIp: remoteIps[0],
    userAgent,
    visitorId: context.visitorId(visitorSlot),
  };
}

/**
 * Builds interaction `index` of a guide or poll slice. The browser sends it within 1.5
 * seconds, so `guideTimestamp` follows `browserTime` but stays in the same hour.
 */
function interactionRow(
  context: EventContext,
  slice: Slice,
  index: number,
  isIgnored: (slot: number) => boolean,
): PendoRecord | undefined {
  const pool = context.pool(slice.appIndex);
  const polls = slice.source === 'pollEvents';
  const guides: GuideRef[] = polls ? pool.pollGuides : pool.guides;
  if (guides.length === 0) return undefined;

  const browserTime = visitStart(context, slice, index);
  const seedParts = [context.seed, slice.source, slice.appIndex, slice.dayStart, index];
  const random = Random.of(...seedParts, 'row');
  const visitorDraw = skewedIndex(random, context.visitorCount, 2.5);
  const guide = pickSkewed(random, guides, 2);
  const poll = polls ? random.pick(guide.polls) : undefined;
  const hourEnd = startOfHour(browserTime) + HOUR_MS;

  return {
    ...visitorFields(context, activeVisitor(context, visitorDraw, isIgnored)),
    appId: context.apps[slice.appIndex],
    browserTime,
    elementPath: '',
    guideId: guide.id,
    guideStepId: polls ? (guide.stepIds[0] ?? '') : random.pick(guide.stepIds),
    guideTimestamp: Math.min(browserTime + random.int(0, 1500), hourEnd - 1),
    loadTime: random.int(0, 900),
    pollId: poll?.id ?? '',
    pollResponse: poll ? pollResponse(random, poll.numeric) : '',
    serverName: serverOf(slice.appIndex),
    type: polls ? 'pollResponse' : pickType(random),
    url: guide.url,
  };
}

/** Yields the guide or poll events of one slice in one bucket, in time order. */
export function* interactionSliceRows(
  context: EventContext,
  slice: Slice,
  bucket: Bucket,
  visibleUntil: number,
  isIgnored: (slot: number) => boolean,
): Generator<PendoRecord> {
  const windowStart = Math.max(bucket.start, slice.dayStart);
  const windowEnd = Math.min(bucket.end, visibleUntil, slice.dayEnd);
  if (slice.size === 0 || windowEnd <= windowStart) return;
  const first = windowStart <= slice.dayStart ? 0 : firstIndexFrom(context, slice, windowStart);
  for (let index = first; index < slice.size; index++) {
    if (visitStart(context, slice, index) >= windowEnd) return;
    const row = interactionRow(context, slice, index, isIgnored);
    if (row) yield row;
  }
}
