import type { ColumnType, ColumnValue } from './rows';

/**
 * Encoding of values for `COPY … FROM STDIN` in PostgreSQL's text format: columns are
 * separated by a tab, rows end with a newline, NULL is `\N`, and a backslash, tab, newline
 * or carriage return inside a value is written as a backslash escape.
 */

export const COPY_NULL = '\\N';

const SPECIAL_CHARACTERS = /[\\\t\n\r\0]/;
const SPECIAL_CHARACTERS_GLOBAL = /[\\\t\n\r\0]/g;

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  // PostgreSQL text cannot contain U+0000; it is stored as U+FFFD instead.
  '\0': '\uFFFD',
};

/** Escapes one text value for the COPY text format. */
export function escapeCopyText(text: string): string {
  if (!SPECIAL_CHARACTERS.test(text)) return text;
  return text.replace(SPECIAL_CHARACTERS_GLOBAL, (character) => ESCAPES[character] ?? character);
}

/**
 * Writes a PostgreSQL array literal of text elements. Every element is double-quoted, with
 * `"` and `\` escaped by a backslash, so commas, braces, spaces and the word NULL stay text.
 */
function textArrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((item) => `"${String(item).replace(/["\\]/g, '\\$&')}"`);
  return `{${elements.join(',')}}`;
}

/** Encodes one column value of the given type; null and undefined become `\N`. */
export function encodeCopyValue(value: ColumnValue | undefined, type: ColumnType): string {
  if (value === null || value === undefined) return COPY_NULL;
  switch (type) {
    case 'boolean':
      return value ? 't' : 'f';
    case 'timestamptz':
      return value instanceof Date ? value.toISOString() : COPY_NULL;
    case 'bigint':
      // The readers return a BigInt only within the bigint range.
      if (typeof value === 'bigint') return String(value);
      return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : COPY_NULL;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : COPY_NULL;
    case 'bigint[]':
      // Only integers reach here (see integerArrayOrNull), so the array literal needs no quoting.
      return Array.isArray(value) ? `{${value.join(',')}}` : COPY_NULL;
    case 'text[]':
      return Array.isArray(value) ? escapeCopyText(textArrayLiteral(value)) : COPY_NULL;
    case 'text':
    case 'jsonb':
      return escapeCopyText(String(value));
  }
}
