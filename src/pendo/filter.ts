import { ConfigError } from '../errors';
import type { Cursor } from '../types';

/** The `appId` source parameter that selects every app of a subscription. */
export const ALL_APPS_SOURCE = 'expandAppIds("*")';

// JSON.stringify leaves DEL, the C1 controls and the two Unicode line separators unescaped.
// They are escaped too, so a filter literal contains no raw control or line-break character.
const EXTRA_ESCAPES = /[\u007f-\u009f\u2028\u2029]/g;

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Quotes `value` as a double-quoted string literal of Pendo's filter language. `\` and `"`
 * are escaped, because Pendo rejects an unescaped quote with 400 "Cannot parse filter
 * expression". Control characters become `\n`, `\t` or `\uXXXX` escapes.
 *
 * NOTE: Pendo documents no escape beyond `\\` and `\"`. The other escapes follow JSON, whose
 * string syntax the filter language appears to share, but no test against Pendo confirms them.
 */
export function filterString(value: string): string {
  return JSON.stringify(value).replace(EXTRA_ESCAPES, unicodeEscape);
}

/**
 * Returns the `appId` parameter of an aggregation source: the expression for every app, or
 * the given app ids. Without an `appId`, Pendo returns only the default app's rows.
 */
export function appIdSource(appIds: readonly number[] | 'all'): string | number[] {
  if (appIds === 'all') return ALL_APPS_SOURCE;
  if (appIds.length === 0) {
    throw new ConfigError('The list of Pendo app ids is empty. Give at least one id or "all".');
  }
  for (const id of appIds) {
    if (!Number.isSafeInteger(id)) {
      throw new ConfigError(`Invalid Pendo app id ${String(id)}: expected an integer.`);
    }
  }
  return [...appIds];
}

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function checkFieldPath(field: string): void {
  // Field names are spliced into the expression, so only plain dotted identifiers pass.
  if (!FIELD_PATH.test(field)) {
    throw new TypeError(`Invalid filter field "${field}": expected a dotted identifier path.`);
  }
}

/**
 * Builds the keyset filter that selects records after `cursor` in (timestamp, id) order, e.g.
 * `lastUpdatedAt > 123 || (lastUpdatedAt == 123 && id > "abc")`. Paging on the timestamp alone
 * would lose or repeat records that share one timestamp. Without a cursor it returns
 * `undefined`, meaning no filter stage, so records without a timestamp are not dropped.
 */
export function afterCursor(
  tsField: string,
  idField: string,
  cursor: Cursor | null | undefined,
): string | undefined {
  checkFieldPath(tsField);
  checkFieldPath(idField);
  if (!cursor) return undefined;
  if (!Number.isSafeInteger(cursor.timestamp)) {
    throw new TypeError(
      `Invalid cursor timestamp ${String(cursor.timestamp)}: expected an integer of epoch milliseconds.`,
    );
  }
  if (typeof cursor.id !== 'string') {
    throw new TypeError(`Invalid cursor id ${String(cursor.id)}: expected a string.`);
  }
  const ts = String(cursor.timestamp);
  const id = filterString(cursor.id);
  return `${tsField} > ${ts} || (${tsField} == ${ts} && ${idField} > ${id})`;
}
