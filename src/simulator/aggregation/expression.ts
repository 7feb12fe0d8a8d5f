import { compareValues } from './compare';
import type { Expression } from './filter-parser';
import { parseExpression } from './filter-parser';
import type { Row } from './row';
import { readField } from './row';

/** Values available to an expression besides the row. */
export interface EvaluationEnvironment {
  /** Simulated epoch milliseconds returned by `now()`. */
  now: number;
}

export type Evaluator = (row: Row, environment: EvaluationEnvironment) => unknown;

/** Truthiness of filter results: false, null, missing, 0 and "" reject a row. */
export function isTruthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false && value !== 0 && value !== '';
}

function looselyEqual(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return a === b;
}

function isOrderable(a: unknown, b: unknown): boolean {
  return (
    (typeof a === 'number' && typeof b === 'number') ||
    (typeof a === 'string' && typeof b === 'string')
  );
}

function arithmetic(operator: string, a: unknown, b: unknown): unknown {
  if (operator === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  if (operator === '+') return a + b;
  if (operator === '-') return a - b;
  if (operator === '*') return a * b;
  return b === 0 ? null : a / b;
}

/** Applies a binary operator to two evaluated operands (`&&` and `||` are handled before). */
function applyBinary(operator: string, a: unknown, b: unknown): unknown {
  switch (operator) {
    case '==':
      return looselyEqual(a, b);
    case '!=':
      return !looselyEqual(a, b);
    case '<':
      return isOrderable(a, b) && compareValues(a, b) < 0;
    case '<=':
      return isOrderable(a, b) && compareValues(a, b) <= 0;
    case '>':
      return isOrderable(a, b) && compareValues(a, b) > 0;
    case '>=':
      return isOrderable(a, b) && compareValues(a, b) >= 0;
    default:
      return arithmetic(operator, a, b);
  }
}

function callFunction(name: string, args: unknown[], environment: EvaluationEnvironment): unknown {
  const [first, second] = args;
  switch (name) {
    case 'now':
      return environment.now;
    case 'date': {
      if (!args.every((arg) => typeof arg === 'number')) return null;
      const [year, month, day, hour = 0, minute = 0, seconds = 0] = args;
      // NOTE: Pendo evaluates date() in the subscription time zone; this uses UTC.
      return Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1, hour, minute, seconds);
    }
    case 'isNull':
      return first === null || first === undefined;
    case 'len':
      return typeof first === 'string' || Array.isArray(first) ? first.length : null;
    case 'contains':
      if (typeof first === 'string' && typeof second === 'string') return first.includes(second);
      return Array.isArray(first) ? first.some((item) => looselyEqual(item, second)) : false;
    default:
      return null;
  }
}

/** Turns a syntax tree into a function of the row, so each row costs no tree walking by name. */
export function compileExpression(expression: Expression): Evaluator {
  switch (expression.kind) {
    case 'literal': {
      const value = expression.value;
      return () => value;
    }
    case 'path': {
      const path = expression.path;
      return (row) => readField(row, path);
    }
    case 'call': {
      const args = expression.args.map(compileExpression);
      const name = expression.name;
      return (row, env) =>
        callFunction(
          name,
          args.map((arg) => arg(row, env)),
          env,
        );
    }
    case 'unary': {
      const operand = compileExpression(expression.operand);
      if (expression.operator === '!') return (row, env) => !isTruthy(operand(row, env));
      return (row, env) => {
        const value = operand(row, env);
        return typeof value === 'number' ? -value : null;
      };
    }
    case 'binary':
      return compileBinary(expression.operator, expression.left, expression.right);
  }
}

function compileBinary(operator: string, leftTree: Expression, rightTree: Expression): Evaluator {
  const left = compileExpression(leftTree);
  const right = compileExpression(rightTree);
  if (operator === '&&') return (row, env) => isTruthy(left(row, env)) && isTruthy(right(row, env));
  if (operator === '||') return (row, env) => isTruthy(left(row, env)) || isTruthy(right(row, env));
  return (row, env) => applyBinary(operator, left(row, env), right(row, env));
}

/** Parses and compiles an expression; throws ExpressionSyntaxError when it does not parse. */
export function compile(text: string): Evaluator {
  return compileExpression(parseExpression(text));
}
