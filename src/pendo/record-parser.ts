import { TokenParser, Tokenizer } from '@streamparser/json';
import type { ParsedTokenInfo } from '@streamparser/json';
import { PendoResponseError } from '../errors';
import type { PendoRecord } from '../types';
import { ShapeChecker } from './json-shape';
import type { RecordLayout, ShapeMismatch } from './json-shape';
import { parseJsonNumber } from './lossless-number';

const MAX_DETAIL_CHARS = 80;

const EXPECTED: Record<RecordLayout, string> = {
  array: 'a JSON array of objects',
  results: 'a JSON object with a "results" array of objects',
};

/** Shortens the parser library's message to the unexpected character or token. */
function describeSyntaxError(error: Error): string {
  const character = /^Unexpected "([\s\S]*?)" at chunk position/.exec(error.message);
  if (character) return `unexpected character ${JSON.stringify(character[1])}`;
  const token = /^Unexpected \w+ \(([\s\S]*)\) in state/.exec(error.message);
  const detail = token ? `unexpected ${token[1]}` : error.message;
  return detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}…` : detail;
}

function tokenizerOffset(error: Error, fallback: number): number {
  const match = /\(absolute position "(\d+)"\)/.exec(error.message);
  return match ? Number(match[1]) : fallback;
}

/**
 * Tokenizer that keeps the exact text of numbers a double would change (see LosslessNumber).
 * The library types number tokens as `number`, so the LosslessNumber is cast, and the token
 * parser places it in the record like any other value.
 */
class LosslessTokenizer extends Tokenizer {
  protected override parseNumber(text: string): number {
    return parseJsonNumber(text) as number;
  }
}

/**
 * Incremental parser for the records of one response body. It feeds bytes through the
 * tokenizer and token parser of @streamparser/json, with `keepStack: false` so that emitted
 * records are dropped from their parent array and memory stays flat however long the body.
 * Numbers become JavaScript numbers, except those a double would change (integers beyond
 * ±(2^53 − 1), numbers beyond the double range, decimals with too many digits), which become
 * LosslessNumbers that `stringifyLossless` writes back digit for digit.
 * Errors are PendoResponseErrors that name the request, what was expected and the byte offset.
 */
export class RecordParser {
  private readonly tokenizer = new LosslessTokenizer();
  private readonly parser: TokenParser;
  private readonly shape: ShapeChecker;
  private pending: PendoRecord[] = [];
  private failure: PendoResponseError | undefined;
  private bytes = 0;
  private tokenOffset = 0;
  private ending = false;

  /** `request` names the method and URL for messages; it must not contain secrets. */
  constructor(
    private readonly layout: RecordLayout,
    private readonly request: string,
  ) {
    const path = layout === 'array' ? '$.*' : '$.results.*';
    this.parser = new TokenParser({ paths: [path], keepStack: false });
    this.shape = new ShapeChecker(layout);
    this.tokenizer.onToken = (info) => this.acceptToken(info);
    this.tokenizer.onError = (error) => this.onTokenizerError(error);
    this.parser.onValue = ({ value }) => {
      if (!this.failure) this.pending.push(value as PendoRecord);
    };
    this.parser.onError = (error) => this.onParserError(error);
    // The tokenizer is left running after the document ends, so trailing whitespace passes
    // and anything else reaches the parser as an error.
    this.parser.onEnd = () => undefined;
  }

  /** Parses one chunk and returns the records it completed. */
  write(chunk: Uint8Array): PendoRecord[] {
    if (!this.failure) this.tokenizer.write(chunk);
    this.bytes += chunk.byteLength;
    return this.takeRecords();
  }

  /** Finishes the body: throws if it was empty, cut short or lacked the records array. */
  end(): PendoRecord[] {
    this.ending = true;
    if (!this.failure && !this.shape.started) this.fail(this.emptyBodyError());
    if (!this.failure && !this.tokenizer.isEnded) this.tokenizer.end();
    if (!this.failure && !this.parser.isEnded) this.parser.end();
    const mismatch = this.failure ? undefined : this.shape.finish(this.bytes);
    if (mismatch) this.fail(this.shapeError(mismatch));
    return this.takeRecords();
  }

  private takeRecords(): PendoRecord[] {
    if (this.failure) throw this.failure;
    const records = this.pending;
    this.pending = [];
    return records;
  }

  private acceptToken(info: ParsedTokenInfo): void {
    if (this.failure) return;
    this.tokenOffset = info.offset;
    if (this.parser.isEnded) {
      this.fail(
        this.syntaxError('unexpected data after the end of the JSON document', info.offset),
      );
      return;
    }
    this.parser.write(info);
    if (this.failure) return;
    const mismatch = this.shape.check(info.token, info.value, info.offset);
    if (mismatch) this.fail(this.shapeError(mismatch));
  }

  private onTokenizerError(error: Error): void {
    if (this.ending) {
      this.fail(this.truncatedError(error));
      return;
    }
    const offset = tokenizerOffset(error, this.bytes);
    this.fail(this.syntaxError(describeSyntaxError(error), offset, error));
  }

  private onParserError(error: Error): void {
    if (this.ending) {
      this.fail(this.truncatedError(error));
      return;
    }
    this.fail(this.syntaxError(describeSyntaxError(error), this.tokenOffset, error));
  }

  private fail(error: PendoResponseError): void {
    this.failure ??= error;
  }

  /**
   * Builds the error for a 2xx body that is not JSON. It is retryable: such bodies come from a
   * proxy or web application firewall page, or from bytes damaged in transit, and both are
   * transient. The sync engine retries at most its maxAttempts times, so a body that stays
   * invalid still fails the run. Valid JSON of the wrong shape (shapeError) is not retryable,
   * because asking again returns the same document.
   */
  private syntaxError(detail: string, offset: number, cause?: Error): PendoResponseError {
    const html = offset === 0 && detail === 'unexpected character "<"';
    const hint = html ? ' The body is an HTML page, as a proxy or firewall sends.' : '';
    return new PendoResponseError(
      `Invalid JSON in the Pendo response to ${this.request} at byte ${offset}: ${detail}. ` +
        `Expected ${EXPECTED[this.layout]}.${hint}`,
      { retryable: true, cause },
    );
  }

  private shapeError(mismatch: ShapeMismatch): PendoResponseError {
    return new PendoResponseError(
      `Unexpected Pendo response to ${this.request}: expected ${mismatch.expected} ` +
        `but found ${mismatch.found} at byte ${mismatch.offset}.`,
    );
  }

  /** Builds the error for an empty body. It is retryable, as a body truncated at byte 0. */
  private emptyBodyError(): PendoResponseError {
    return new PendoResponseError(
      `The Pendo response to ${this.request} ended at byte ${this.bytes} without any JSON ` +
        `value. Expected ${EXPECTED[this.layout]}.`,
      { retryable: true },
    );
  }

  /** Builds the error for a body cut short. It is retryable because a dropped connection can cause it. */
  private truncatedError(cause: Error): PendoResponseError {
    return new PendoResponseError(
      `The Pendo response to ${this.request} is truncated: the body ended at byte ${this.bytes} ` +
        `before the end of ${EXPECTED[this.layout]}.`,
      { retryable: true, cause },
    );
  }
}
