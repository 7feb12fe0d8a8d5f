import { TokenType } from '@streamparser/json';
import type { ParsedTokenInfo } from '@streamparser/json';

type JsonPrimitive = ParsedTokenInfo['value'];

/** Layout of the records: a top-level array, or the `results` array of an aggregation envelope. */
export type RecordLayout = 'array' | 'results';

/** A response that has the wrong shape: what was expected, what was found and where. */
export interface ShapeMismatch {
  expected: string;
  found: string;
  offset: number;
}

function describeToken(token: TokenType, value: JsonPrimitive): string {
  switch (token) {
    case TokenType.LEFT_BRACE:
      return 'an object';
    case TokenType.LEFT_BRACKET:
      return 'an array';
    case TokenType.STRING:
      return 'a string';
    case TokenType.NUMBER:
      return `the number ${String(value)}`;
    case TokenType.TRUE:
    case TokenType.FALSE:
    case TokenType.NULL:
      return String(value);
    default:
      return `"${String(value)}"`;
  }
}

/**
 * Checks the shape of a JSON document token by token, so a wrong shape is reported at its
 * byte offset without holding the document. It must see only tokens that the JSON parser has
 * already accepted, since it relies on the grammar being valid.
 */
export class ShapeChecker {
  private depth = 0;
  private previous: TokenType | undefined;
  private topLevelKey: string | undefined;
  private inResults = false;
  private resultsSeen = false;
  private elementCount = 0;

  constructor(private readonly layout: RecordLayout) {}

  /** Number of records whose first token has been seen. */
  get records(): number {
    return this.elementCount;
  }

  /** True once any token has been seen, which distinguishes an empty body from a truncated one. */
  get started(): boolean {
    return this.previous !== undefined;
  }

  /** Returns a mismatch for `token`, or undefined when it fits the expected shape. */
  check(token: TokenType, value: JsonPrimitive, offset: number): ShapeMismatch | undefined {
    const mismatch = this.checkToken(token, value, offset);
    this.trackDepth(token);
    this.previous = token;
    return mismatch;
  }

  private trackDepth(token: TokenType): void {
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) this.depth += 1;
    if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) {
      this.depth -= 1;
      // Back at the envelope's level while inside `results` means the results array closed.
      if (this.inResults && this.depth === 1) this.inResults = false;
    }
  }

  /** Returns a mismatch when the document ended without the `results` array it needs. */
  finish(offset: number): ShapeMismatch | undefined {
    if (this.layout === 'results' && !this.resultsSeen) {
      return { expected: 'a "results" array', found: 'no "results" key', offset };
    }
    return undefined;
  }

  private checkToken(token: TokenType, value: JsonPrimitive, offset: number) {
    if (this.previous === undefined) return this.checkRoot(token, value, offset);
    if (this.layout === 'results' && this.depth === 1) this.trackEnvelope(token, value);
    if (this.startsRecord(token)) {
      this.elementCount += 1;
      if (token !== TokenType.LEFT_BRACE) {
        const expected = `record ${this.elementCount} to be an object`;
        return { expected, found: describeToken(token, value), offset };
      }
    }
    if (this.layout === 'results' && this.depth === 1 && this.startsResultsValue()) {
      if (token !== TokenType.LEFT_BRACKET) {
        return { expected: '"results" to be an array', found: describeToken(token, value), offset };
      }
      this.inResults = true;
      this.resultsSeen = true;
    }
    return undefined;
  }

  private checkRoot(token: TokenType, value: JsonPrimitive, offset: number) {
    const openingToken = this.layout === 'array' ? TokenType.LEFT_BRACKET : TokenType.LEFT_BRACE;
    if (token === openingToken) return undefined;
    const expected =
      this.layout === 'array' ? 'a JSON array' : 'a JSON object with a "results" array';
    return { expected, found: describeToken(token, value), offset };
  }

  /** Follows the keys of the envelope object, where `results` may come before or after others. */
  private trackEnvelope(token: TokenType, value: JsonPrimitive): void {
    const afterOpenOrComma =
      this.previous === TokenType.LEFT_BRACE || this.previous === TokenType.COMMA;
    if (token === TokenType.STRING && afterOpenOrComma) this.topLevelKey = String(value);
  }

  private startsResultsValue(): boolean {
    return this.previous === TokenType.COLON && this.topLevelKey === 'results';
  }

  /** True for the first token of an element of the records array. */
  private startsRecord(token: TokenType): boolean {
    const recordDepth = this.layout === 'array' ? 1 : 2;
    if (this.depth !== recordDepth || token === TokenType.RIGHT_BRACKET) return false;
    if (this.layout === 'results' && !this.inResults) return false;
    return this.previous === TokenType.LEFT_BRACKET || this.previous === TokenType.COMMA;
  }
}
