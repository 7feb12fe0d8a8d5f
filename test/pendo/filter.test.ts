import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import { ALL_APPS_SOURCE, afterCursor, appIdSource, filterString } from '../../src/pendo/filter';

/** Reads a filter literal back the way a JSON-compatible string parser would. */
function unquote(literal: string): unknown {
  return JSON.parse(literal);
}

describe('filterString', () => {
  it('quotes plain text', () => {
    expect(filterString('abc')).toBe('"abc"');
  });

  it('escapes double quotes', () => {
    expect(filterString('a"b')).toBe('"a\\"b"');
  });

  it('escapes backslashes', () => {
    expect(filterString('a\\b')).toBe('"a\\\\b"');
  });

  it('escapes a backslash before a quote', () => {
    expect(filterString('\\"')).toBe('"\\\\\\""');
  });

  it('escapes newlines, tabs and other controls', () => {
    expect(filterString('a\nb\tc\rd\u0000e\u001f')).toBe('"a\\nb\\tc\\rd\\u0000e\\u001f"');
  });

  it('escapes DEL, C1 controls and line separators', () => {
    expect(filterString('\u007f\u0085\u2028\u2029')).toBe('"\\u007f\\u0085\\u2028\\u2029"');
  });

  it('keeps other unicode as is', () => {
    expect(filterString('日本語 ✓ 😀 é')).toBe('"日本語 ✓ 😀 é"');
  });

  it('leaves no raw control character', () => {
    let all = '';
    for (let code = 0; code < 0xa0; code++) all += String.fromCharCode(code);
    const codes = [...filterString(all)].map((char) => char.charCodeAt(0));
    const raw = codes.filter((code) => code < 0x20 || (code >= 0x7f && code <= 0x9f));
    expect(raw).toEqual([]);
  });

  it.each(['', 'x"y', 'x\\y', '"; id != "', '\\', 'line\nbreak', '`tick`', '😀\u2028'])(
    'round-trips %j',
    (value) => {
      expect(unquote(filterString(value))).toBe(value);
    },
  );

  it('keeps an injection attempt inside the literal', () => {
    const literal = filterString('" || id != "');
    expect(literal).toBe('"\\" || id != \\""');
  });
});

describe('appIdSource', () => {
  it('expands every app for "all"', () => {
    expect(appIdSource('all')).toBe('expandAppIds("*")');
    expect(ALL_APPS_SOURCE).toBe('expandAppIds("*")');
  });

  it('lists the given app ids', () => {
    expect(appIdSource([-323232, 6253630842798080])).toEqual([-323232, 6253630842798080]);
  });

  it('rejects an empty list', () => {
    expect(() => appIdSource([])).toThrow(ConfigError);
  });

  it('rejects non-integers', () => {
    expect(() => appIdSource([1.5])).toThrow(ConfigError);
    expect(() => appIdSource([Number.NaN])).toThrow(ConfigError);
  });
});

describe('afterCursor', () => {
  it('builds the keyset filter', () => {
    expect(afterCursor('lastUpdatedAt', 'id', { timestamp: 123, id: 'abc' })).toBe(
      'lastUpdatedAt > 123 || (lastUpdatedAt == 123 && id > "abc")',
    );
  });

  it('returns no filter without a cursor', () => {
    expect(afterCursor('lastUpdatedAt', 'id', null)).toBeUndefined();
    expect(afterCursor('lastUpdatedAt', 'id', undefined)).toBeUndefined();
  });

  it('escapes the id', () => {
    expect(afterCursor('ts', 'visitorId', { timestamp: 0, id: 'a"b\\c' })).toBe(
      'ts > 0 || (ts == 0 && visitorId > "a\\"b\\\\c")',
    );
  });

  it('accepts dotted field paths', () => {
    expect(afterCursor('metadata.auto.lastupdated', 'accountId', { timestamp: 5, id: 'x' })).toBe(
      'metadata.auto.lastupdated > 5 || (metadata.auto.lastupdated == 5 && accountId > "x")',
    );
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 1.5, 2 ** 60])(
    'rejects timestamp %s',
    (timestamp) => {
      expect(() => afterCursor('ts', 'id', { timestamp, id: 'a' })).toThrow(TypeError);
    },
  );

  it.each(['', 'a b', 'a||b', 'x"', '1abc', 'a..b'])('rejects field %j', (field) => {
    expect(() => afterCursor(field, 'id', null)).toThrow(TypeError);
    expect(() => afterCursor('ts', field, null)).toThrow(TypeError);
  });
});
