/**
 * Tokenizer of Pendo filter and eval expressions: C-like operators, numbers, dotted field
 * paths, and strings in double quotes or backticks.
 */

export type Token =
  | { type: 'number'; value: number; position: number }
  | { type: 'string'; value: string; position: number }
  | { type: 'name'; value: string; position: number }
  | { type: 'operator'; value: string; position: number }
  | { type: 'end'; position: number };

/** A syntax error in an expression; the HTTP layer turns it into Pendo's fixed 400 reply. */
export class ExpressionSyntaxError extends Error {
  constructor(message: string, position: number) {
    super(`${message} at offset ${position}`);
    this.name = 'ExpressionSyntaxError';
  }
}

/** Operators, longest first so that `>=` wins over `>`. */
const OPERATORS = [
  '==',
  '!=',
  '>=',
  '<=',
  '&&',
  '||',
  '>',
  '<',
  '!',
  '(',
  ')',
  ',',
  '+',
  '-',
  '*',
  '/',
];
const ESCAPES: Record<string, string> = {
  '"': '"',
  '`': '`',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
};
const NAME_START = /[A-Za-z_$]/;
const NAME_PART = /[A-Za-z0-9_$]/;

/** Reads a quoted string starting at `start` (the quote); returns its value and the end offset. */
function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === quote) return { value, end: i + 1 };
    if (char === '\\') {
      const escaped = ESCAPES[text[i + 1] ?? ''];
      if (escaped === undefined) throw new ExpressionSyntaxError('invalid escape in string', i);
      value += escaped;
      i += 2;
      continue;
    }
    value += char;
    i++;
  }
  throw new ExpressionSyntaxError('unterminated string', start);
}

/**
 * Reads a dotted name such as `metadata.auto.lastupdated`. The first segment must start
 * with a letter, `_` or `$`; later segments may also be array indexes such as `steps.0.id`.
 */
function readName(text: string, start: number): { value: string; end: number } {
  let i = start;
  for (;;) {
    const valid = i === start ? NAME_START : NAME_PART;
    if (!valid.test(text[i] ?? '')) throw new ExpressionSyntaxError('invalid field path', i);
    while (i < text.length && NAME_PART.test(text[i] ?? '')) i++;
    if (text[i] !== '.') return { value: text.slice(start, i), end: i };
    i++;
  }
}

function readNumber(text: string, start: number): { value: number; end: number } {
  const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(start));
  if (!match) throw new ExpressionSyntaxError('invalid number', start);
  if (NAME_START.test(text[start + match[0].length] ?? '')) {
    throw new ExpressionSyntaxError('invalid number', start);
  }
  return { value: Number(match[0]), end: start + match[0].length };
}

/** Splits an expression into tokens, ending with an `end` token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    if (/\s/.test(char)) {
      i++;
    } else if (char === '"' || char === '`') {
      const { value, end } = readString(text, i);
      tokens.push({ type: 'string', value, position: i });
      i = end;
    } else if (/[0-9.]/.test(char)) {
      const { value, end } = readNumber(text, i);
      tokens.push({ type: 'number', value, position: i });
      i = end;
    } else if (NAME_START.test(char)) {
      const { value, end } = readName(text, i);
      tokens.push({ type: 'name', value, position: i });
      i = end;
    } else {
      const operator = OPERATORS.find((candidate) => text.startsWith(candidate, i));
      if (!operator) throw new ExpressionSyntaxError(`unexpected character "${char}"`, i);
      tokens.push({ type: 'operator', value: operator, position: i });
      i += operator.length;
    }
  }
  tokens.push({ type: 'end', position: text.length });
  return tokens;
}
