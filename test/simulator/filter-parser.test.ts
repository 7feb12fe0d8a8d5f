import { describe, expect, it } from 'vitest';
import { compile } from '../../src/simulator/aggregation/expression';
import { ExpressionSyntaxError } from '../../src/simulator/aggregation/filter-lexer';
import { parseExpression } from '../../src/simulator/aggregation/filter-parser';

const row = {
  id: 'abc',
  lastUpdatedAt: 1000,
  name: 'He said "hi" \\ bye',
  state: 'public',
  metadata: { auto: { lastupdated: 500, accountids: ['a1', 'a2'] } },
  empty: '',
  flag: true,
  nothing: null,
};
const env = { now: 10_000 };

function evaluate(text: string): unknown {
  return compile(text)(row, env);
}

describe('filter expressions', () => {
  const truthTable: [string, unknown][] = [
    ['lastUpdatedAt == 1000', true],
    ['lastUpdatedAt != 1000', false],
    ['lastUpdatedAt > 999', true],
    ['lastUpdatedAt >= 1000', true],
    ['lastUpdatedAt < 1000', false],
    ['lastUpdatedAt <= 1000', true],
    ['id > "abb"', true],
    ['id < "abd"', true],
    ['id == `abc`', true],
    ['id > ""', true],
    ['metadata.auto.lastupdated >= 500', true],
    ['metadata.auto.missing == null', true],
    ['lastUpdatedAt > 1 && state == "public"', true],
    ['lastUpdatedAt > 5000 || state == "public"', true],
    ['lastUpdatedAt > 5000 || state == "draft"', false],
    ['!(state == "draft")', true],
    ['!flag', false],
    ['(lastUpdatedAt > 999 || id == "x") && !(id == "y")', true],
    ['lastUpdatedAt > 1000 || (lastUpdatedAt == 1000 && id > "abb")', true],
    ['lastUpdatedAt > 1000 || (lastUpdatedAt == 1000 && id > "abc")', false],
    ['now() - 9000 == lastUpdatedAt', true],
    ['lastUpdatedAt >= now() - 9 * 1000', true],
    ['lastUpdatedAt == 2000 / 2', true],
    ['lastUpdatedAt == 400 + 3 * 200', true],
    ['lastUpdatedAt == (400 + 100) * 2', true],
    ['-lastUpdatedAt < 0', true],
    ['name == "He said \\"hi\\" \\\\ bye"', true],
    ['name == `He said "hi" \\\\ bye`', true],
    ['lastUpdatedAt > "999"', false],
    ['id > 5', false],
    ['contains(metadata.auto.accountids, "a2")', true],
    ['isNull(nothing) && len(id) == 3', true],
    ['date(1970, 1, 1, 0, 0, 1) == lastUpdatedAt', true],
    ['lastUpdatedAt == 1e3', true],
    ['flag == true && empty == ""', true],
  ];

  it.each(truthTable)('%s evaluates to %s', (text, expected) => {
    expect(evaluate(text)).toBe(expected);
  });

  it('parses precedence like C', () => {
    expect(parseExpression('a || b && c')).toEqual({
      kind: 'binary',
      operator: '||',
      left: { kind: 'path', path: 'a' },
      right: {
        kind: 'binary',
        operator: '&&',
        left: { kind: 'path', path: 'b' },
        right: { kind: 'path', path: 'c' },
      },
    });
  });

  it('parses dotted paths as one path', () => {
    expect(parseExpression('metadata.auto.lastupdated')).toEqual({
      kind: 'path',
      path: 'metadata.auto.lastupdated',
    });
  });

  const invalid = [
    '',
    'lastUpdatedAt >',
    'lastUpdatedAt = 5',
    'id == "unterminated',
    'id == "bad \\q escape"',
    '(id == "a"',
    'id == "a")',
    'a..b == 1',
    'metadata. == 1',
    "id == 'single'",
    'unknownFn(1)',
    'now(1)',
    '5abc == 1',
    'id == "a" &&',
    '&& id',
    'id # 1',
  ];
  it.each(invalid)('rejects %j', (text) => {
    expect(() => parseExpression(text)).toThrow(ExpressionSyntaxError);
  });
});
