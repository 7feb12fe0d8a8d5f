import type pg from 'pg';
import { PendoApiError, PendoResponseError } from '../errors';
import type { EventStreamSpec } from '../events/streams';
import type { PendoClient } from '../pendo/client';
import type { PendoRecord } from '../types';
import type { CheckedDay } from './event-days';
import { NO_TIMEOUT_RETRIES, isTooLarge, streamDayTotals } from './event-pendo-rows';
import type { RowFallbackContext } from './event-pendo-rows';
import { dayStages, eventSourceStage } from './event-source';
import { totalsEntry } from './event-totals';
import type { TotalsByDay } from './event-totals';

/**
 * Most days one grouped request spans. Pendo advises against requesting more than 30 days of
 * events at once; a range that still times out is halved.
 */
export const MAX_RANGE_DAYS = 30;

/** Pendo's totals of one stream over the checked days, and how they were read. */
export interface PendoEventTotals {
  totals: TotalsByDay;
  /** Aggregation requests sent. */
  requests: number;
  /** Days whose rows had to be streamed because a grouped request was impossible. */
  streamedDays: number;
}

type Context = RowFallbackContext & { streamedDays: number };

/** Returns true when Pendo rejects the grouping stage itself (400 or 422). */
function isGroupRejected(error: unknown): boolean {
  return error instanceof PendoApiError && (error.status === 400 || error.status === 422);
}

function groupStage(spec: EventStreamSpec, keys: string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    rows: { count: null },
    // Taken to count distinct visitor ids, as Pendo's own examples use it for unique visitors.
    visitors: { count: 'visitorId' },
  };
  if (spec.kind === 'aggregate') fields.numEvents = { sum: 'numEvents' };
  return { group: { group: keys, fields } };
}

function integerField(
  row: PendoRecord,
  field: string,
  spec: EventStreamSpec,
  minimum = -Infinity,
): number {
  const value = row[field];
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= minimum) return value;
  const expected = minimum === 0 ? 'a non-negative integer' : 'an integer';
  throw new PendoResponseError(
    `Unexpected grouped ${spec.source} row from Pendo: ${field} should be ${expected} but ` +
      `is ${JSON.stringify(value)}.`,
  );
}

function addGroupedRow(context: Context, day: CheckedDay, row: PendoRecord): void {
  const { spec } = context;
  const appId = integerField(row, 'appId', spec);
  const entry = totalsEntry(context.totals, day.day, appId, spec.kind === 'aggregate');
  entry.rows = integerField(row, 'rows', spec, 0);
  entry.visitors = integerField(row, 'visitors', spec, 0);
  if (spec.kind === 'aggregate') entry.numEvents = integerField(row, 'numEvents', spec, 0);
}

/** Reads consecutive days of day rows in one request grouped on the day and app. */
async function readDayRange(context: Context, days: CheckedDay[]): Promise<void> {
  const first = days[0];
  if (!first) return;
  const byStart = new Map(days.map((day) => [day.start, day]));
  const pipeline = [
    eventSourceStage(context.spec, context.appIds, 'day', first.start, days.length),
    groupStage(context.spec, ['day', 'appId']),
  ];
  context.countRequest();
  for await (const batch of context.pendo.aggregate(pipeline, NO_TIMEOUT_RETRIES)) {
    for (const row of batch) {
      const day = typeof row.day === 'number' ? byStart.get(row.day) : undefined;
      // Pendo returns only buckets of the requested range, so other days do not occur.
      if (day) addGroupedRow(context, day, row);
    }
  }
}

/**
 * Reads one day in one request grouped on the app alone: the way for hour rows and for guide
 * and poll events, whose distinct visitors per day cannot be added up from smaller buckets.
 */
async function readSingleDay(context: Context, day: CheckedDay): Promise<void> {
  const pipeline = [
    ...dayStages(context.spec, context.appIds, day),
    groupStage(context.spec, ['appId']),
  ];
  context.countRequest();
  for await (const batch of context.pendo.aggregate(pipeline, NO_TIMEOUT_RETRIES)) {
    for (const row of batch) addGroupedRow(context, day, row);
  }
}

async function readDay(context: Context, day: CheckedDay): Promise<void> {
  try {
    await readSingleDay(context, day);
  } catch (error) {
    if (!isTooLarge(error) && !isGroupRejected(error)) throw error;
    context.streamedDays++;
    await streamDayTotals(context, day);
  }
}

/** Reads a run of day-row days, halving the run while Pendo times out. */
async function readRange(context: Context, days: CheckedDay[]): Promise<void> {
  if (days.length === 1 && days[0]) return readDay(context, days[0]);
  try {
    await readDayRange(context, days);
  } catch (error) {
    if (isGroupRejected(error)) {
      for (const day of days) await readDay(context, day);
      return;
    }
    if (!isTooLarge(error)) throw error;
    const middle = Math.ceil(days.length / 2);
    await readRange(context, days.slice(0, middle));
    await readRange(context, days.slice(middle));
  }
}

/** Splits days into runs of consecutive days of at most MAX_RANGE_DAYS. */
function consecutiveRuns(days: CheckedDay[]): CheckedDay[][] {
  const runs: CheckedDay[][] = [];
  let run: CheckedDay[] = [];
  for (const day of days) {
    const previous = run[run.length - 1];
    if (previous && (previous.end !== day.start || run.length >= MAX_RANGE_DAYS)) {
      runs.push(run);
      run = [];
    }
    run.push(day);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * Asks Pendo for a stream's totals per day and app over the checked days, grouped on Pendo's
 * side so only one row per day and app comes back. Aggregate streams stored as day rows are
 * read in ranges of consecutive days grouped on `day` and `appId`. Hour rows and guide or poll
 * events take one request per day grouped on `appId`, because distinct visitors of a day cannot
 * be added up from smaller buckets. A day that Pendo cannot group is streamed.
 */
export async function readPendoTotals(
  pendo: PendoClient,
  client: pg.PoolClient,
  spec: EventStreamSpec,
  days: CheckedDay[],
  appIds: number[] | 'all',
): Promise<PendoEventTotals> {
  let requests = 0;
  const context: Context = {
    pendo,
    client,
    spec,
    appIds,
    totals: new Map(),
    countRequest: () => requests++,
    streamedDays: 0,
  };
  const byDayRows = spec.kind === 'aggregate' ? days.filter((day) => !day.hourly) : [];
  for (const run of consecutiveRuns(byDayRows)) await readRange(context, run);
  for (const day of days) {
    if (!byDayRows.includes(day)) await readDay(context, day);
  }
  return { totals: context.totals, requests, streamedDays: context.streamedDays };
}
