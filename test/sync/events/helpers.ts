import type pg from 'pg';
import type { EventStream } from '../../../src/events/streams';
import { EVENT_STREAMS, EVENT_STREAM_SPECS } from '../../../src/events/streams';
import type { Simulator } from '../../../src/simulator/index';
import type { EventSyncOptions, StreamResult } from '../../../src/sync/context';
import { localDate, nextLocalDay } from '../../../src/sync/events/local-days';
import type { SyncTarget, TestSyncOptions, TestSyncRun } from '../helpers';
import { runTestSync } from '../helpers';

export const TIME_ZONE = 'America/New_York';

/** Sums of one local day and app: rows, numEvents (rows for guide and poll events), visitors. */
export interface DayTotals {
  rows: number;
  numEvents: number;
  visitors: number;
}

/** Totals keyed by `YYYY-MM-DD app`. */
export type TotalsByDay = Map<string, DayTotals>;

/** Runs a sync of event streams only, with every stream unless `events.streams` lists fewer. */
export async function runEventSync(
  target: SyncTarget,
  events: Partial<EventSyncOptions>,
  options: TestSyncOptions = {},
): Promise<TestSyncRun & { stream(name: EventStream): StreamResult }> {
  const run = await runTestSync(target, {
    entities: [],
    events: {
      streams: [...EVENT_STREAMS],
      lagMs: 0,
      lookbackMs: 2 * 86_400_000,
      timeZone: TIME_ZONE,
      ...events,
    },
    ...options,
  });
  return {
    ...run,
    stream(name) {
      const found = run.summary.streams.find((result) => result.stream === name);
      if (!found) throw new Error(`the run did not sync ${name}`);
      return found;
    },
  };
}

function addRow(
  totals: TotalsByDay,
  visitors: Map<string, Set<string>>,
  key: string,
  numEvents: number,
  visitorId: string,
): void {
  const day = totals.get(key) ?? { rows: 0, numEvents: 0, visitors: 0 };
  day.rows += 1;
  day.numEvents += numEvents;
  const seen = visitors.get(key) ?? new Set<string>();
  seen.add(visitorId);
  day.visitors = seen.size;
  totals.set(key, day);
  visitors.set(key, seen);
}

/**
 * Sums the simulator's rows of a stream per local day and app over [from, to), read with
 * `period` (the stream's own period unless given).
 */
export function truthTotals(
  simulator: Simulator,
  stream: EventStream,
  from: number,
  to: number,
  period = EVENT_STREAM_SPECS[stream].period,
): TotalsByDay {
  const spec = EVENT_STREAM_SPECS[stream];
  const totals: TotalsByDay = new Map();
  const visitors = new Map<string, Set<string>>();
  for (let day = from; day < to; day = nextLocalDay(TIME_ZONE, day)) {
    const end = nextLocalDay(TIME_ZONE, day);
    const query = { source: spec.source, period, from: day, to: end };
    for (const row of simulator.eventRows(query)) {
      const key = `${localDate(TIME_ZONE, day)} ${String(row.appId)}`;
      const numEvents = typeof row.numEvents === 'number' ? row.numEvents : 1;
      addRow(totals, visitors, key, numEvents, String(row.visitorId));
    }
  }
  return totals;
}

/** Sums a stream's stored rows per local day and app. */
export async function storedTotals(pool: pg.Pool, stream: EventStream): Promise<TotalsByDay> {
  const spec = EVENT_STREAM_SPECS[stream];
  const numEvents = spec.kind === 'aggregate' ? 'sum(num_events)' : 'count(*)';
  const result = await pool.query<{ key: string; rows: string; events: string; visitors: string }>(
    `select to_char(${spec.timeColumn} at time zone $1, 'YYYY-MM-DD') || ' ' || app_id as key,
            count(*) as rows, ${numEvents} as events, count(distinct visitor_id) as visitors
     from ${spec.table} group by 1 order by 1`,
    [TIME_ZONE],
  );
  return new Map(
    result.rows.map((row) => [
      row.key,
      { rows: Number(row.rows), numEvents: Number(row.events), visitors: Number(row.visitors) },
    ]),
  );
}

/** Returns `totals` as sorted entries, so two maps compare with one `toEqual`. */
export function entriesOf(totals: TotalsByDay): [string, DayTotals][] {
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Returns each stored row's key and transaction id (`xmin`), which changes when a row is rewritten. */
export async function rowVersions(
  pool: pg.Pool,
  stream: EventStream,
): Promise<Map<string, string>> {
  const spec = EVENT_STREAM_SPECS[stream];
  const result = await pool.query<{ key: string; version: string }>(
    `select ${spec.timeColumn}::text || ' ' || app_id || ' ' || row_hash as key, xmin::text as version
     from ${spec.table}`,
  );
  return new Map(result.rows.map((row) => [row.key, row.version]));
}

/** Returns the number of rows of a stream's table. */
export async function countRows(pool: pg.Pool, stream: EventStream): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `select count(*) as count from ${EVENT_STREAM_SPECS[stream].table}`,
  );
  return Number(result.rows[0]?.count ?? 0);
}
