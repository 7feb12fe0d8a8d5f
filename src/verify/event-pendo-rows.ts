import type pg from 'pg';
import { PendoApiError } from '../errors';
import type { EventStreamSpec } from '../events/streams';
import type { PendoClient } from '../pendo/client';
import type { PendoRecord } from '../types';
import type { CheckedDay } from './event-days';
import { dayStages, hoursOf, timeFieldOf } from './event-source';
import { totalsEntry } from './event-totals';
import type { TotalsByDay } from './event-totals';

/** Inputs of the streaming fallback: Pendo client, staging connection and request counter. */
export interface RowFallbackContext {
  pendo: PendoClient;
  /** Connection inside the verify transaction, which drops the staging table at its end. */
  client: pg.PoolClient;
  spec: EventStreamSpec;
  appIds: number[] | 'all';
  totals: TotalsByDay;
  countRequest: () => void;
}

/**
 * Returns true when an aggregation ran out of time (408, 504, no headers in time, a stalled
 * body), which a smaller request may avoid.
 */
export function isTooLarge(error: unknown): error is PendoApiError {
  return error instanceof PendoApiError && error.timedOut;
}

/** Request options of every verify aggregation: a timeout splits the request at once. */
export const NO_TIMEOUT_RETRIES = { retryTimeouts: false } as const;

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

async function stageRows(client: pg.PoolClient, rows: PendoRecord[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `insert into pendo_verify_event_rows (time_ms, app_id, visitor_id, num_events)
     select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[])`,
    [
      rows.map((row) => finiteOrNull(row.time)),
      rows.map((row) => finiteOrNull(row.appId)),
      rows.map((row) => (typeof row.visitorId === 'string' ? row.visitorId : null)),
      rows.map((row) => finiteOrNull(row.numEvents)),
    ],
  );
}

/**
 * Streams the time, app, visitor and numEvents of the day's rows (or of its hours from
 * `range.first` to `range.last`) into the staging table, batch by batch.
 */
async function streamRequest(
  context: RowFallbackContext,
  day: CheckedDay,
  range?: { first: number; last: number },
): Promise<void> {
  const select = {
    time: timeFieldOf(context.spec, day.hourly ? 'hour' : 'day'),
    appId: 'appId',
    visitorId: 'visitorId',
    numEvents: 'numEvents',
  };
  const pipeline = [...dayStages(context.spec, context.appIds, day, range), { select }];
  context.countRequest();
  for await (const batch of context.pendo.aggregate(pipeline, NO_TIMEOUT_RETRIES)) {
    await stageRows(context.client, batch);
  }
}

/** Streams a day hour by hour. An hour that still times out fails the check. */
async function streamHours(context: RowFallbackContext, day: CheckedDay): Promise<void> {
  for (const start of hoursOf(day)) {
    try {
      await streamRequest(context, day, { first: start, last: start + 1 });
    } catch (error) {
      if (!isTooLarge(error)) throw error;
      throw new PendoApiError(
        `Pendo timed out on one hour of ${context.spec.stream} starting ` +
          `${new Date(start).toISOString()}, so the totals of ${day.day} cannot be read.`,
        { status: error.status, url: error.url, retryable: false, timedOut: true, cause: error },
      );
    }
  }
}

/**
 * Reads one day's totals by streaming its rows when a grouped request is impossible. The rows'
 * time, app, visitor and numEvents go to a temporary table in batches, so memory stays flat,
 * and PostgreSQL sums them. When the whole day is too large, hour rows and guide or poll
 * events are read hour by hour. Day rows cannot be, so such a day fails the check.
 */
export async function streamDayTotals(context: RowFallbackContext, day: CheckedDay): Promise<void> {
  const { client, spec } = context;
  await client.query(
    `create temporary table if not exists pendo_verify_event_rows (
       time_ms bigint, app_id bigint, visitor_id text, num_events bigint
     ) on commit drop`,
  );
  await client.query('delete from pendo_verify_event_rows');
  try {
    await streamRequest(context, day);
  } catch (error) {
    if (!isTooLarge(error)) throw error;
    if (spec.kind === 'aggregate' && !day.hourly) {
      throw new PendoApiError(
        `Pendo timed out on ${spec.stream} for the single day ${day.day}. Its rows are ` +
          `stored as day rows, which requests by the hour cannot reproduce, so its totals ` +
          `cannot be read.`,
        { status: error.status, url: error.url, retryable: false, timedOut: true, cause: error },
      );
    }
    await client.query('delete from pendo_verify_event_rows');
    await streamHours(context, day);
  }
  await sumStagedRows(context, day);
}

async function sumStagedRows(context: RowFallbackContext, day: CheckedDay): Promise<void> {
  const withEvents = context.spec.kind === 'aggregate';
  const result = await context.client.query<{
    app_id: string | null;
    rows: string;
    num_events: string | null;
    visitors: string;
  }>(
    `select app_id::text as app_id, count(*) as rows, coalesce(sum(num_events), 0) as num_events,
            count(distinct visitor_id) as visitors
     from pendo_verify_event_rows where time_ms >= $1 and time_ms < $2
     group by app_id`,
    [day.start, day.end],
  );
  for (const row of result.rows) {
    const entry = totalsEntry(context.totals, day.day, Number(row.app_id), withEvents);
    entry.rows = Number(row.rows);
    entry.numEvents = withEvents ? Number(row.num_events) : null;
    entry.visitors = Number(row.visitors);
  }
}
