import type pg from 'pg';
import { countMisalignedUnknownWindows, listWindowZones } from '../db/events/window-zones';
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
  /** IANA time zone that the days are compared in, the configured one. */
  timeZone: string;
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
  /**
   * Time zones other than the configured one that the stream's windows of this app scope were
   * read in, null for an unknown zone. When any is listed, the days were not compared.
   */
  otherTimeZones: (string | null)[];
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

function emptyDrift(stream: EventStream, timeZone: string, withEvents: boolean): EventStreamDrift {
  return {
    stream,
    timeZone,
    finalDays: 0,
    openDays: 0,
    pendo: zeroTotals(withEvents),
    database: zeroTotals(withEvents),
    drifted: [],
    openDifferences: [],
    requests: 0,
    streamedDays: 0,
    otherTimeZones: [],
  };
}

/**
 * Lists the zones other than `timeZone` that the stream's windows were read in. Windows of an
 * unknown zone count as `timeZone` when a sync would keep them (their bounds are its local
 * midnights), and as null otherwise.
 */
async function listOtherTimeZones(
  client: pg.PoolClient,
  stream: EventStream,
  appIds: number[] | 'all',
  timeZone: string,
): Promise<(string | null)[]> {
  const zones = await listWindowZones(client, stream, appIds);
  const others: (string | null)[] = [];
  for (const zone of zones) {
    if (zone.timeZone === timeZone) continue;
    if (zone.timeZone === null) {
      const misaligned = await countMisalignedUnknownWindows(client, stream, appIds, timeZone);
      if (misaligned === 0) continue;
    }
    others.push(zone.timeZone);
  }
  return others;
}

/**
 * Compares one event stream's rows with Pendo's current totals, per local day that the
 * stream's windows read and per app: row count, sum of numEvents and distinct visitors. Days
 * not yet final are compared too but reported apart, because Pendo may still change them.
 * When windows were read in another time zone than `timeZone`, compares nothing and lists
 * those zones in `otherTimeZones`, because their days are not the days of `timeZone`.
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
    const drift = emptyDrift(stream, timeZone, withEvents);
    drift.otherTimeZones = await listOtherTimeZones(client, stream, appIds, timeZone);
    if (drift.otherTimeZones.length > 0) return drift;

    const days = await listCheckedDays(client, stream, appIds, timeZone);
    const database = await readDatabaseTotals(client, stream, days, appIds, timeZone);
    const fromPendo = await readPendoTotals(pendo, client, spec, days, appIds);
    drift.finalDays = days.filter((day) => !day.open).length;
    drift.openDays = days.filter((day) => day.open).length;
    drift.requests = fromPendo.requests;
    drift.streamedDays = fromPendo.streamedDays;
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

/** Returns true when the stream's windows were read in a time zone other than the configured one. */
export function hasTimeZoneMismatch(drift: EventStreamDrift): boolean {
  return drift.otherTimeZones.length > 0;
}

/**
 * Returns true when the stream is not verified: a final day differs from Pendo, or its windows
 * were read in another time zone, so the copy does not match the configuration.
 */
export function hasEventDrift(drift: EventStreamDrift): boolean {
  return drift.drifted.length > 0 || hasTimeZoneMismatch(drift);
}
