import type { Token } from './filter-lexer';
import { ExpressionSyntaxError, tokenize } from './filter-lexer';

/** Syntax tree of a filter or eval expression. */
export type Expression =
  | { kind: 'literal'; value: number | string | boolean | null }
  | { kind: 'path'; path: string }
  | { kind: 'call'; name: string; args: Expression[] }
  | { kind: 'unary'; operator: '!' | '-'; operand: Expression }
  | { kind: 'binary'; operator: string; left: Expression; right: Expression };

/** Functions the simulator evaluates, with their allowed argument counts. */
export const FUNCTION_ARITY: Record<string, [min: number, max: number]> = {
  now: [0, 0],
  date: [3, 6],
  isNull: [1, 1],
  len: [1, 1],
  contains: [2, 2],
};

/** Binary operator levels from loosest to tightest, as in C. */
const BINARY_LEVELS: readonly string[][] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/'],
];

const KEYWORDS: Record<string, boolean | null> = { true: true, false: false, null: null };

/** Recursive-descent parser over the token list; one instance parses one expression. */
class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): Expression {
    const expression = this.parseLevel(0);
    const next = this.peek();
    if (next.type !== 'end') throw new ExpressionSyntaxError('unexpected token', next.position);
    return expression;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { type: 'end', position: 0 };
  }

  private isOperator(values: readonly string[]): string | undefined {
    const token = this.peek();
    return token.type === 'operator' && values.includes(token.value) ? token.value : undefined;
  }

  private expect(value: string): void {
    if (!this.isOperator([value])) {
      throw new ExpressionSyntaxError(`expected "${value}"`, this.peek().position);
    }
    this.index++;
  }

  private parseLevel(level: number): Expression {
    const operators = BINARY_LEVELS[level];
    if (!operators) return this.parseUnary();
    let left = this.parseLevel(level + 1);
    for (
      let operator = this.isOperator(operators);
      operator;
      operator = this.isOperator(operators)
    ) {
      this.index++;
      const right = this.parseLevel(level + 1);
      left = { kind: 'binary', operator, left, right };
    }
    return left;
  }

  private parseUnary(): Expression {
    const operator = this.isOperator(['!', '-']);
    if (operator === '!' || operator === '-') {
      this.index++;
      return { kind: 'unary', operator, operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expression {
    const token = this.peek();
    this.index++;
    if (token.type === 'number' || token.type === 'string') {
      return { kind: 'literal', value: token.value };
    }
    if (token.type === 'name') return this.parseName(token.value, token.position);
    if (token.type === 'operator' && token.value === '(') {
      const inner = this.parseLevel(0);
      this.expect(')');
      return inner;
    }
    throw new ExpressionSyntaxError('expected a value', token.position);
  }

  private parseName(name: string, position: number): Expression {
    if (!this.isOperator(['('])) {
      if (name in KEYWORDS) return { kind: 'literal', value: KEYWORDS[name] ?? null };
      return { kind: 'path', path: name };
    }
    const arity = FUNCTION_ARITY[name];
    if (!arity) throw new ExpressionSyntaxError(`unknown function "${name}"`, position);
    this.index++;
    const args: Expression[] = [];
    while (!this.isOperator([')'])) {
      if (args.length > 0) this.expect(',');
      args.push(this.parseLevel(0));
    }
    this.index++;
    if (args.length < arity[0] || args.length > arity[1]) {
      throw new ExpressionSyntaxError(`wrong number of arguments to ${name}()`, position);
    }
    return { kind: 'call', name, args };
  }
}

/** Parses a filter or eval expression; throws ExpressionSyntaxError when it does not parse. */
export function parseExpression(text: string): Expression {
  return new Parser(tokenize(text)).parseAll();
}
