import { stringifyLossless } from '../../pendo/lossless-number';
import type { PendoRecord } from '../../types';

/** JSON escapes that jsonb rejects: U+0000 and lone UTF-16 surrogates, after a run of backslashes. */
const UNSTORABLE_ESCAPE = /(\\+)u(0000|d[89a-f][0-9a-f]{2})/gi;

/**
 * Serializes a record for the `raw` jsonb column (and the `metadata` column of the people
 * tables). Numbers the parser kept as LosslessNumbers are written with their original digits.
 * PostgreSQL rejects U+0000 and lone surrogates (JSON.stringify escapes both, and writes valid
 * pairs as characters), so these are replaced by U+FFFD, in keys and values, and one odd record
 * cannot fail its whole batch. Every other character is kept.
 */
export function serializeRaw(record: PendoRecord): string {
  const json = stringifyLossless(record) ?? 'null';
  if (!/\\u(0000|d[89a-f])/i.test(json)) return json;
  // An odd run of backslashes ends in an escape; an even run is escaped backslashes
  // followed by literal text.
  return json.replace(UNSTORABLE_ESCAPE, (match, slashes: string) =>
    slashes.length % 2 === 1 ? `${slashes.slice(0, -1)}\\ufffd` : match,
  );
}
