import type pg from 'pg';
import { rollBack, watchClient } from '../db/watch-client';
import { EVENT_STREAM_SPECS } from '../events/streams';
import type { EventStream } from '../events/streams';
import type { PendoClient } from '../pendo/client';
import { readDatabaseTotals } from './event-database-totals';
import { listCheckedDays } from './event-days';
import type { CheckedDay } from './event-days';
import { readPendoTotals } from './event-pendo-totals';
import { totalsDiffer } from './event-totals';
import type { EventTotals, TotalsByDay } from './event-totals';

/** Pendo's and the database's totals of one stream in one local day and app. */
export interface EventDayComparison {
  /** Local date in the subscription's time zone, `YYYY-MM-DD`. */
  day: string;
  appId: number;
  pendo: EventTotals;
  database: EventTotals;
}

/** Comparison of one event stream's stored rows with what Pendo returns now, day by day. */
export interface EventStreamDrift {
  stream: EventStream;
  /** Final days compared: days whose every window was read after its lookback had passed. */
  finalDays: number;
  /** Days still open, which a later sync reads again. */
  openDays: number;
  /** Sums over the final days. */
  pendo: EventTotals;
  database: EventTotals;
  /** Final days and apps whose totals differ: drift. */
  drifted: EventDayComparison[];
  /** Open days and apps whose totals differ, which is expected until their lookback passes. */
  openDifferences: EventDayComparison[];
  /** Aggregation requests sent to Pendo. */
  requests: number;
  /** Days read by streaming their rows because Pendo could not group them. */
  streamedDays: number;
}

const ZERO: EventTotals = { rows: 0, numEvents: 0, visitors: 0 };

function zeroTotals(withEvents: boolean): EventTotals {
  return { ...ZERO, numEvents: withEvents ? 0 : null };
}

function addTotals(sum: EventTotals, totals: EventTotals): void {
  sum.rows += totals.rows;
  sum.visitors += totals.visitors;
  if (sum.numEvents !== null && totals.numEvents !== null) sum.numEvents += totals.numEvents;
}

/** Pairs Pendo's and the database's totals of each day and app found on either side. */
function compareDay(
  day: CheckedDay,
  pendo: TotalsByDay,
  database: TotalsByDay,
  withEvents: boolean,
): EventDayComparison[] {
  const pendoApps = pendo.get(day.day) ?? new Map<number, EventTotals>();
  const databaseApps = database.get(day.day) ?? new Map<number, EventTotals>();
  const appIds = [...new Set([...pendoApps.keys(), ...databaseApps.keys()])].sort((a, b) => a - b);
  return appIds.map((appId) => ({
    day: day.day,
    appId,
    pendo: pendoApps.get(appId) ?? zeroTotals(withEvents),
    database: databaseApps.get(appId) ?? zeroTotals(withEvents),
  }));
}

/**
 * Compares one event stream's rows with Pendo's current totals, per local day that the
 * stream's windows read and per app: row count, sum of numEvents and distinct visitors. Days
 * not yet final are compared too but reported apart, because Pendo may still change them.
 * Like entity verification, it runs in a transaction that is rolled back, so it writes nothing.
 */
export async function verifyEventStream(
  pool: pg.Pool,
  pendo: PendoClient,
  stream: EventStream,
  options: { appIds: number[] | 'all'; timeZone: string },
): Promise<EventStreamDrift> {
  const spec = EVENT_STREAM_SPECS[stream];
  const withEvents = spec.kind === 'aggregate';
  const { appIds, timeZone } = options;
  const client = await pool.connect();
  const watched = watchClient(client);
  let failed = false;
  try {
    await client.query('begin');
    const days = await listCheckedDays(client, stream, appIds, timeZone);
    const database = await readDatabaseTotals(client, stream, days, appIds, timeZone);
    const fromPendo = await readPendoTotals(pendo, client, spec, days, appIds);
    const drift: EventStreamDrift = {
      stream,
      finalDays: days.filter((day) => !day.open).length,
      openDays: days.filter((day) => day.open).length,
      pendo: zeroTotals(withEvents),
      database: zeroTotals(withEvents),
      drifted: [],
      openDifferences: [],
      requests: fromPendo.requests,
      streamedDays: fromPendo.streamedDays,
    };
    for (const day of days) {
      for (const comparison of compareDay(day, fromPendo.totals, database, withEvents)) {
        if (!day.open) {
          addTotals(drift.pendo, comparison.pendo);
          addTotals(drift.database, comparison.database);
        }
        if (!totalsDiffer(comparison.pendo, comparison.database)) continue;
        (day.open ? drift.openDifferences : drift.drifted).push(comparison);
      }
    }
    return drift;
  } catch (error) {
    failed = true;
    throw watched.explain(error);
  } finally {
    // After a failure the connection may be broken, so it is closed instead of rolled back.
    const rolledBack = !failed && (await rollBack(client));
    watched.release(!rolledBack);
  }
}

/** Returns true when a final day of the stream differs from Pendo. */
export function hasEventDrift(drift: EventStreamDrift): boolean {
  return drift.drifted.length > 0;
}
