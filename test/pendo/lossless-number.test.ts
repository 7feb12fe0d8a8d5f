import { describe, expect, it } from 'vitest';
import {
  LosslessNumber,
  parseJsonNumber,
  stringifyLossless,
} from '../../src/pendo/lossless-number';

describe('parseJsonNumber', () => {
  it.each([
    ['0', 0],
    ['-323232', -323232],
    ['9007199254740991', 9007199254740991],
    ['-9007199254740991', -9007199254740991],
    ['1733300000000', 1733300000000],
    ['0.1', 0.1],
    ['1.50', 1.5],
    ['15e-1', 1.5],
    ['1E3', 1000],
    ['1e21', 1e21],
    ['-0', -0],
    ['9007199254740992', 2 ** 53],
    ['5e-324', 5e-324],
  ])('returns %s as a number', (text, expected) => {
    expect(parseJsonNumber(text)).toBe(expected);
  });

  it.each([
    '9007199254740993',
    '-9007199254740993',
    '123456789012345678901234567890',
    '9007199254740993.0',
    '0.1000000000000000055511151231257827',
    '1e400',
    '-1e400',
    '1e-400',
    '2.5e-324',
  ])('keeps %s as text', (text) => {
    const value = parseJsonNumber(text);
    expect(value).toBeInstanceOf(LosslessNumber);
    expect(String(value)).toBe(text);
  });
});

describe('stringifyLossless', () => {
  const big = new LosslessNumber('123456789012345678901234567890');

  it('writes lossless numbers as JSON numbers', () => {
    const value = { a: big, list: [big, 1, new LosslessNumber('-1e400')], nested: { b: big } };
    expect(stringifyLossless(value)).toBe(
      '{"a":123456789012345678901234567890,"list":[123456789012345678901234567890,1,-1e400],' +
        '"nested":{"b":123456789012345678901234567890}}',
    );
  });

  it('matches JSON.stringify without lossless numbers', () => {
    const value = { id: 'a"\\', text: 'lossless-number:x:1', n: [1, 2.5, null, true] };
    expect(stringifyLossless(value)).toBe(JSON.stringify(value));
  });

  it('leaves strings that look like numbers', () => {
    expect(stringifyLossless({ a: '9007199254740993', b: big })).toBe(
      '{"a":"9007199254740993","b":123456789012345678901234567890}',
    );
  });

  it('returns undefined for undefined', () => {
    expect(stringifyLossless(undefined)).toBeUndefined();
  });

  it('leaves JSON.stringify writing the nearest double', () => {
    expect(JSON.stringify({ big })).toBe('{"big":1.2345678901234568e+29}');
    expect(JSON.stringify({ beyond: new LosslessNumber('1e400') })).toBe('{"beyond":null}');
  });
});
