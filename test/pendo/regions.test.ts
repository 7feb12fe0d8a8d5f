import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import {
  PENDO_REGIONS,
  normalizeBaseUrl,
  regionBaseUrl,
  resolveBaseUrl,
} from '../../src/pendo/regions';

describe('regionBaseUrl', () => {
  it.each([
    ['us', 'https://app.pendo.io'],
    ['us1', 'https://us1.app.pendo.io'],
    ['eu', 'https://app.eu.pendo.io'],
    ['jpn', 'https://app.jpn.pendo.io'],
    ['au', 'https://app.au.pendo.io'],
  ])('maps %s to %s', (region, url) => {
    expect(regionBaseUrl(region)).toBe(url);
  });

  it('ignores case and spaces', () => {
    expect(regionBaseUrl(' EU ')).toBe('https://app.eu.pendo.io');
  });

  it('rejects an unknown region with the allowed list', () => {
    const error = (() => {
      try {
        regionBaseUrl('mars');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('"mars"');
    expect(message).toContain('PENDO_REGION');
    for (const region of Object.keys(PENDO_REGIONS)) expect(message).toContain(region);
  });

  it('rejects inherited property names', () => {
    expect(() => regionBaseUrl('toString')).toThrow(ConfigError);
    expect(() => regionBaseUrl('__proto__')).toThrow(ConfigError);
  });
});

describe('normalizeBaseUrl', () => {
  it.each([
    ['https://app.eu.pendo.io', 'https://app.eu.pendo.io'],
    ['https://app.eu.pendo.io/', 'https://app.eu.pendo.io'],
    ['https://app.eu.pendo.io/api/v1', 'https://app.eu.pendo.io'],
    ['https://app.eu.pendo.io/api/v1/', 'https://app.eu.pendo.io'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['https://proxy.example.com/pendo/', 'https://proxy.example.com/pendo'],
    ['https://proxy.example.com/pendo/api/v1', 'https://proxy.example.com/pendo'],
    ['  https://adopt.pendo.io  ', 'https://adopt.pendo.io'],
  ])('accepts %s', (input, expected) => {
    expect(normalizeBaseUrl(input)).toBe(expected);
  });

  it.each([
    ['not a url', 'not a URL'],
    ['ftp://app.pendo.io', 'ftp:'],
    ['file:///etc/passwd', 'file:'],
    ['https://user:pass@app.pendo.io', 'passwords'],
    ['https://app.pendo.io/?x=1', 'query'],
    ['https://app.pendo.io/#top', 'fragment'],
  ])('rejects %s', (input, reason) => {
    expect(() => normalizeBaseUrl(input)).toThrow(ConfigError);
    expect(() => normalizeBaseUrl(input)).toThrow(reason);
  });

  it('names the variable in the message', () => {
    expect(() => normalizeBaseUrl('ftp://x')).toThrow('PENDO_BASE_URL');
  });
});

describe('resolveBaseUrl', () => {
  it('defaults to the US region', () => {
    expect(resolveBaseUrl({})).toBe('https://app.pendo.io');
  });

  it('uses the region when no override is set', () => {
    expect(resolveBaseUrl({ region: 'jpn' })).toBe('https://app.jpn.pendo.io');
  });

  it('prefers the override to the region', () => {
    expect(resolveBaseUrl({ region: 'eu', baseUrl: 'http://127.0.0.1:9/api/v1/' })).toBe(
      'http://127.0.0.1:9',
    );
  });

  it('treats an empty override as unset', () => {
    expect(resolveBaseUrl({ region: 'au', baseUrl: ' ' })).toBe('https://app.au.pendo.io');
  });

  it('still rejects an unknown region', () => {
    expect(() => resolveBaseUrl({ region: 'xx' })).toThrow(ConfigError);
  });
});
