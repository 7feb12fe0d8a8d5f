import type { EventStreamSpec } from '../../events/streams';
import { PendoResponseError } from '../../errors';
import { LosslessNumber } from '../../pendo/lossless-number';
import type { PendoRecord } from '../../types';
import type { ReadRange } from './read-ranges';

/** An event row that cannot be stored: a required field is missing or outside the window. */
export class EventRowError extends PendoResponseError {}

/** Constraints on the rows of one request. */
export interface RowRules {
  spec: EventStreamSpec;
  range: ReadRange;
  /** App ids the request asked for; every app when 'all'. */
  appIds: ReadonlySet<number> | 'all';
  timeZone: string;
}

const MAX_ROW_CHARS = 300;

function describeRow(row: PendoRecord): string {
  const text = JSON.stringify(row);
  return text.length > MAX_ROW_CHARS ? `${text.slice(0, MAX_ROW_CHARS)}…` : text;
}

function rangeText(range: ReadRange): string {
  return `[${new Date(range.start).toISOString()}, ${new Date(range.end).toISOString()})`;
}

/** Returns the field that times a row of the request: `day`, `hour` or `browserTime`. */
export function timeFieldOf(spec: EventStreamSpec, range: ReadRange): string {
  return spec.kind === 'interaction' ? 'browserTime' : range.period;
}

function fail(rules: RowRules, row: PendoRecord, problem: string): never {
  throw new EventRowError(
    `Pendo returned a ${rules.spec.stream} row (${rules.spec.source}) for the window ${rangeText(rules.range)} that ${problem}, so the window was not stored: ${describeRow(row)}`,
  );
}

/** True for a non-empty string or an integer, which the parser may keep as a LosslessNumber. */
function isId(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  return Number.isSafeInteger(value) || value instanceof LosslessNumber;
}

function checkTime(rules: RowRules, row: PendoRecord): void {
  const field = timeFieldOf(rules.spec, rules.range);
  const value = row[field];
  if (!Number.isSafeInteger(value)) {
    fail(rules, row, `has no "${field}" (an integer of epoch milliseconds)`);
  }
  const time = value as number;
  if (time < rules.range.start || time >= rules.range.end) {
    fail(
      rules,
      row,
      `has "${field}" ${new Date(time).toISOString()} outside the window; check that PENDO_TIME_ZONE (${rules.timeZone}) is the subscription's time zone`,
    );
  }
}

function checkApp(rules: RowRules, row: PendoRecord): void {
  const appId = row.appId;
  if (!Number.isSafeInteger(appId)) fail(rules, row, 'has no "appId" (an integer)');
  if (rules.appIds !== 'all' && !rules.appIds.has(appId as number)) {
    fail(rules, row, `has "appId" ${String(appId)}, which the request did not ask for`);
  }
}

/** Checks every field the event table requires; throws an EventRowError naming the first missing one. */
export function checkEventRow(rules: RowRules, row: PendoRecord): void {
  checkTime(rules, row);
  checkApp(rules, row);
  if (!isId(row.visitorId)) fail(rules, row, 'has no "visitorId"');
  const { spec } = rules;
  if (spec.targetField && !isId(row[spec.targetField])) {
    fail(rules, row, `has no "${spec.targetField}"`);
  }
  if (spec.kind === 'aggregate' && typeof row.numEvents !== 'number') {
    fail(rules, row, 'has no "numEvents" (a number)');
  }
  if (spec.kind === 'aggregate' && typeof row.numMinutes !== 'number') {
    fail(rules, row, 'has no "numMinutes" (a number)');
  }
  if (spec.kind === 'interaction' && (typeof row.type !== 'string' || row.type === '')) {
    fail(rules, row, 'has no "type"');
  }
  if (spec.stream === 'poll_events' && !isId(row.pollId)) fail(rules, row, 'has no "pollId"');
}

/** Yields the rows of a streamed response one by one, each checked by `checkEventRow`. */
export async function* checkedRows(
  batches: AsyncIterable<PendoRecord[]>,
  rules: RowRules,
): AsyncGenerator<PendoRecord> {
  for await (const batch of batches) {
    for (const row of batch) {
      checkEventRow(rules, row);
      yield row;
    }
  }
}
