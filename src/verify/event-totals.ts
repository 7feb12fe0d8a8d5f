/** Totals of one stream's rows in one local day and app. */
export interface EventTotals {
  rows: number;
  /** Sum of numEvents; null for guide and poll events, whose rows are single events. */
  numEvents: number | null;
  /** Distinct visitor ids. */
  visitors: number;
}

/** Totals per local date (`YYYY-MM-DD`), then per app id. */
export type TotalsByDay = Map<string, Map<number, EventTotals>>;

/** Returns the totals of `day` and `appId`, creating zero totals when there are none yet. */
export function totalsEntry(
  totals: TotalsByDay,
  day: string,
  appId: number,
  withEvents: boolean,
): EventTotals {
  let apps = totals.get(day);
  if (!apps) {
    apps = new Map();
    totals.set(day, apps);
  }
  let entry = apps.get(appId);
  if (!entry) {
    entry = { rows: 0, numEvents: withEvents ? 0 : null, visitors: 0 };
    apps.set(appId, entry);
  }
  return entry;
}

/** Returns true when two totals differ in any count. */
export function totalsDiffer(a: EventTotals, b: EventTotals): boolean {
  return a.rows !== b.rows || a.numEvents !== b.numEvents || a.visitors !== b.visitors;
}
