import { randomUUID } from 'node:crypto';

/**
 * A JSON number kept as its text because a JavaScript number would change its value. Examples
 * are 9007199254740993 (beyond ±(2^53 − 1)), 1e400 (beyond the double range) and decimals with
 * more digits than a double holds. The record parser returns one in place of such a number,
 * and `stringifyLossless` writes its text back unchanged.
 */
export class LosslessNumber {
  constructor(
    /** The number exactly as it appeared in the JSON text. */
    readonly text: string,
  ) {}

  /** Returns the nearest double, the value JSON.parse gives, for arithmetic and comparisons. */
  valueOf(): number {
    return Number(this.text);
  }

  toString(): string {
    return this.text;
  }

  /**
   * Called by JSON.stringify. Inside `stringifyLossless` it returns a marker that is replaced
   * by the exact text afterwards. Elsewhere it returns the nearest double, so any other
   * JSON.stringify writes what it wrote before numbers were kept exact.
   */
  toJSON(): unknown {
    if (!marking) return this.valueOf();
    markedCount += 1;
    return `${MARKER_PREFIX}${this.text}`;
  }
}

/**
 * Marker written in place of a lossless number. The random part differs in every process, so
 * no string in Pendo data can equal a marker.
 */
const MARKER_PREFIX = `lossless-number:${randomUUID()}:`;

/** A marker as JSON.stringify writes it: a whole string value, its quote not escaped. */
const MARKED_NUMBER = new RegExp(`(?<!\\\\)"${MARKER_PREFIX}([-+.0-9eE]+)"`, 'g');

let marking = false;
let markedCount = 0;

/**
 * Serializes a value as JSON.stringify does, except that each LosslessNumber is written as
 * its original digits (a JSON number, not a string). Values without one cost a single
 * JSON.stringify call.
 */
export function stringifyLossless(value: unknown): string | undefined {
  marking = true;
  markedCount = 0;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } finally {
    marking = false;
  }
  if (markedCount === 0 || json === undefined) return json;
  return json.replace(MARKED_NUMBER, (_match, text: string) => text);
}

const NUMBER_PARTS = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/;

/**
 * Returns the decimal value of JSON number text in one canonical form (sign, significant
 * digits, exponent), so that `1.50`, `15e-1` and `1.5` give the same key.
 */
function decimalKey(text: string): string {
  const parts = NUMBER_PARTS.exec(text);
  if (!parts) return text;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = parts;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') return '0';
  const significant = digits.replace(/0+$/, '');
  const scale = Number(exponent) - fraction.length + (digits.length - significant.length);
  return `${sign}${significant}e${scale}`;
}

/**
 * Converts the text of a JSON number to a JavaScript number when the number, written back by
 * JSON.stringify, has the same decimal value (so `1.50` becomes 1.5 and `-0` becomes 0).
 * Otherwise returns a LosslessNumber that keeps the text.
 */
export function parseJsonNumber(text: string): number | LosslessNumber {
  const value = Number(text);
  // Most numbers in Pendo data are integers of 15 characters or fewer (counts, app ids, epoch
  // milliseconds). Any decimal of 15 significant digits or fewer survives a round trip through
  // a double, so such a token that gives a non-zero integer is that integer. Zero is excluded
  // because 1e-400 also gives 0.
  if (text.length <= 15 && Number.isSafeInteger(value) && value !== 0) return value;
  if (String(value) === text) return value;
  if (!Number.isFinite(value)) return new LosslessNumber(text);
  return decimalKey(String(value)) === decimalKey(text) ? value : new LosslessNumber(text);
}
