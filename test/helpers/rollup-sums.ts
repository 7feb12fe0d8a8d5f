/**
 * What the rollup tests share: local time computed with Intl, so that the expected sums do
 * not depend on PostgreSQL, a grouping fold, and reading a rollup table in a stable order.
 */
import type { Queryable } from '../../src/db/queryable';

/** One row of a rollup table or of its expected sums. */
export type Json = Record<string, unknown>;

/** Returns the local date (YYYY-MM-DD) and hour (0-23) of an instant in `timeZone`. */
export function localTimeIn(timeZone: string): (ms: number) => { day: string; hour: number } {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  return (ms) => {
    const parts = Object.fromEntries(
      format.formatToParts(new Date(ms)).map((part) => [part.type, part.value]),
    );
    return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
  };
}

/** ISO weekday of a YYYY-MM-DD date: 1 for Monday to 7 for Sunday. */
export function isoWeekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

/** Sorts rows by `keys` in order: numbers by value, everything else by its text. */
export function sortRows(rows: Json[], keys: string[]): Json[] {
  const compare = (left: Json, right: Json): number => {
    for (const name of keys) {
      const [a, b] = [left[name], right[name]];
      if (a === b) continue;
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      return String(a) < String(b) ? -1 : 1;
    }
    return 0;
  };
  return [...rows].sort(compare);
}

/**
 * Groups rows by the JSON of their key columns and folds each group with `add`. Returns each
 * group's key columns, parsed back from JSON, with its sums, in first-seen order.
 */
export function rollUp<T, K extends unknown[], S>(
  rows: Iterable<T>,
  keyOf: (row: T) => K,
  init: () => S,
  add: (sums: S, row: T) => void,
): [K, S][] {
  const groups = new Map<string, S>();
  for (const row of rows) {
    const key = JSON.stringify(keyOf(row));
    let sums = groups.get(key);
    if (!sums) {
      sums = init();
      groups.set(key, sums);
    }
    add(sums, row);
  }
  return [...groups].map(([key, sums]) => [JSON.parse(key) as K, sums]);
}

/** A rollup table and the columns its rows are sorted by. */
export interface RollupTable {
  table: string;
  keys: string[];
}

/**
 * Reads a rollup table as JSON rows (dates as YYYY-MM-DD, bigints as numbers), sorted by
 * `keys`. `table` must come from the test's fixed list of rollup tables.
 */
export async function readRollup(db: Queryable, table: string, keys: string[]): Promise<Json[]> {
  const result = await db.query<{ row: Json }>(
    `select to_jsonb(rollup) as row from ${table} as rollup`,
  );
  return sortRows(
    result.rows.map((row) => row.row),
    keys,
  );
}

/** Reads every table of `tables` with {@link readRollup}, keyed by table name. */
export async function readAllRollups(
  db: Queryable,
  tables: RollupTable[],
): Promise<Record<string, Json[]>> {
  const rows: Record<string, Json[]> = {};
  for (const { table, keys } of tables) rows[table] = await readRollup(db, table, keys);
  return rows;
}
