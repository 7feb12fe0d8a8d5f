import type pg from 'pg';
import { copyEventRows, resetEventStage } from '../../db/events/stage-rows';
import type { EventPeriod } from '../../events/streams';
import { PendoApiError } from '../../errors';
import type { EventWindow } from './plan-windows';
import type { ReadRange } from './read-ranges';
import { rangePipeline, splitRange } from './read-ranges';
import { checkedRows } from './row-check';
import type { RowRules } from './row-check';
import type { StreamContext } from './stream-context';

/** The rows of one window, staged on a connection and ready to commit. */
export interface StagedWindow {
  /** Rows Pendo returned, duplicates included. */
  rows: number;
  /** `hour` when any part of the window was read by the hour. */
  period: EventPeriod;
}

function isTimeout(error: unknown): error is PendoApiError {
  return error instanceof PendoApiError && error.timedOut;
}

function rangeText(range: ReadRange): string {
  return `${new Date(range.start).toISOString()} to ${new Date(range.end).toISOString()}`;
}

function smallestRangeError(ctx: StreamContext, range: ReadRange, cause: PendoApiError): Error {
  return new PendoApiError(
    `Pendo timed out reading ${ctx.spec.stream} for the single hour ${rangeText(range)}, the smallest range pendo-sync requests: ${cause.message} Run the sync again later, or sync fewer apps with PENDO_APP_IDS.`,
    { status: cause.status, url: cause.url, retryable: false, timedOut: true, cause },
  );
}

function rulesOf(ctx: StreamContext, range: ReadRange): RowRules {
  const { appIds } = ctx.options;
  return {
    spec: ctx.spec,
    range,
    appIds: appIds === 'all' ? 'all' : new Set(appIds),
    timeZone: ctx.events.timeZone,
  };
}

/**
 * Reads one window from Pendo into the staging table on `client`, streaming each response
 * straight into COPY. A range that times out at Pendo (408, 504, no headers in time, a
 * stalled body) is read again as two halves by the hour, down to single hours. A single hour
 * that times out throws. Other errors are thrown as they are.
 */
export async function stageWindow(
  ctx: StreamContext,
  client: pg.PoolClient,
  window: EventWindow,
): Promise<StagedWindow> {
  await resetEventStage(client);
  const pending: ReadRange[] = [{ start: window.start, end: window.end, period: window.period }];
  const staged: StagedWindow = { rows: 0, period: window.period };
  for (let range = pending.shift(); range; range = pending.shift()) {
    const pipeline = rangePipeline(ctx.spec, ctx.options.appIds, range);
    try {
      const batches = ctx.pendo.aggregate(pipeline, { retryTimeouts: false });
      staged.rows += await copyEventRows(client, checkedRows(batches, rulesOf(ctx, range)));
    } catch (error) {
      if (!isTimeout(error)) throw error;
      const halves = splitRange(range);
      if (!halves) throw smallestRangeError(ctx, range, error);
      ctx.logger.warn(
        { range: rangeText(range), period: range.period, err: error },
        'Pendo timed out on a range, so it is read again as two halves by the hour',
      );
      pending.unshift(...halves);
      continue;
    }
    if (range.period === 'hour') staged.period = 'hour';
  }
  return staged;
}
