/**
 * Ordering of JSON values for `sort` and the relational operators: null and missing values
 * first, then booleans, numbers, strings, and anything else last. Strings compare by UTF-16
 * code unit, which equals byte order for the ASCII ids and names the catalog uses.
 */

function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 2;
  if (typeof value === 'string') return 3;
  return 4;
}

/** Compares two JSON values; returns a negative number, zero or a positive number. */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (rankA === 2) return (a as number) - (b as number);
  if (rankA === 3 || rankA === 1) {
    const left = a as string | boolean;
    const right = b as string | boolean;
    if (left < right) return -1;
    return left > right ? 1 : 0;
  }
  return 0;
}

/** One key of a `sort` stage: `"-name"` sorts by `name`, descending. */
export interface SortKey {
  path: string;
  descending: boolean;
}

export function parseSortKey(text: string): SortKey {
  return text.startsWith('-')
    ? { path: text.slice(1), descending: true }
    : { path: text, descending: false };
}
