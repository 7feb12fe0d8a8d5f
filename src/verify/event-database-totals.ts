import type { Queryable } from '../db/queryable';
import { EVENT_STREAM_SPECS } from '../events/streams';
import type { EventStream } from '../events/streams';
import type { CheckedDay } from './event-days';
import { totalsEntry } from './event-totals';
import type { TotalsByDay } from './event-totals';

/**
 * Sums a stream's stored rows per local day and app over the checked days: row count, sum of
 * numEvents (aggregate streams) and distinct visitors. One grouped query does the work, so
 * only one row per day and app reaches this process.
 */
export async function readDatabaseTotals(
  db: Queryable,
  stream: EventStream,
  days: CheckedDay[],
  appIds: number[] | 'all',
  timeZone: string,
): Promise<TotalsByDay> {
  const totals: TotalsByDay = new Map();
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return totals;
  // Table and column names come from the fixed stream specs, never from input.
  const { table, timeColumn, kind } = EVENT_STREAM_SPECS[stream];
  const withEvents = kind === 'aggregate';
  const params: unknown[] = [timeZone, new Date(first.start), new Date(last.end)];
  let appFilter = '';
  if (appIds !== 'all') {
    params.push(appIds);
    appFilter = 'and t.app_id = any($4::bigint[])';
  }
  const numEvents = withEvents ? 'sum(t.num_events)' : 'null::numeric';
  const result = await db.query<{
    day: string;
    app_id: string;
    rows: string;
    num_events: string | null;
    visitors: string;
  }>(
    `select (t.${timeColumn} at time zone $1)::date::text as day, t.app_id::text as app_id,
            count(*) as rows, ${numEvents} as num_events,
            count(distinct t.visitor_id) as visitors
     from ${table} t
     where t.${timeColumn} >= $2 and t.${timeColumn} < $3 ${appFilter}
     group by 1, 2`,
    params,
  );
  const checked = new Set(days.map((day) => day.day));
  for (const row of result.rows) {
    // Days between the checked ones that no window read are not compared.
    if (!checked.has(row.day)) continue;
    const entry = totalsEntry(totals, row.day, Number(row.app_id), withEvents);
    entry.rows = Number(row.rows);
    entry.numEvents = row.num_events === null ? null : Number(row.num_events);
    entry.visitors = Number(row.visitors);
  }
  return totals;
}
