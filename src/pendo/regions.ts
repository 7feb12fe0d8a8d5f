import { ConfigError } from '../errors';

/**
 * Pendo data centers and their hosts. An integration key works only on the host of the region
 * where it was created, so a wrong region shows up as a 401 or 403.
 */
export const PENDO_REGIONS = {
  us: 'https://app.pendo.io',
  us1: 'https://us1.app.pendo.io',
  eu: 'https://app.eu.pendo.io',
  jpn: 'https://app.jpn.pendo.io',
  au: 'https://app.au.pendo.io',
} as const;

export type PendoRegion = keyof typeof PENDO_REGIONS;

export const DEFAULT_PENDO_REGION: PendoRegion = 'us';

function isPendoRegion(value: string): value is PendoRegion {
  return Object.hasOwn(PENDO_REGIONS, value);
}

/** Returns the base URL of a region name (case-insensitive), or throws a ConfigError. */
export function regionBaseUrl(region: string): string {
  const key = region.trim().toLowerCase();
  if (!isPendoRegion(key)) {
    const allowed = Object.keys(PENDO_REGIONS).join(', ');
    throw new ConfigError(
      `Unknown Pendo region "${region}" in PENDO_REGION. Use one of: ${allowed}.`,
    );
  }
  return PENDO_REGIONS[key];
}

function invalidBaseUrl(value: string, reason: string): ConfigError {
  return new ConfigError(
    `Invalid PENDO_BASE_URL "${value}": ${reason}. ` +
      'Expected an http or https URL such as https://app.eu.pendo.io.',
  );
}

function parseUrl(value: string): URL {
  try {
    return new URL(value.trim());
  } catch {
    throw invalidBaseUrl(value, 'not a URL');
  }
}

/**
 * Validates a base URL override and returns it without a trailing slash or `/api/v1` suffix,
 * because the client appends `/api/v1/...` paths itself. A path prefix (for a proxy) is kept.
 */
export function normalizeBaseUrl(value: string): string {
  const url = parseUrl(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidBaseUrl(value, `the scheme "${url.protocol}" is not http or https`);
  }
  // Credentials in the URL would end up in logs and error messages.
  if (url.username || url.password) {
    throw invalidBaseUrl(value, 'user names and passwords in the URL are not allowed');
  }
  if (url.search || url.hash) {
    throw invalidBaseUrl(value, 'a query string or fragment is not allowed');
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/i, '');
  return `${url.origin}${path}`;
}

/**
 * Resolves the base URL from an explicit override or else a region (default `us`).
 * The override wins because it also serves white-label hosts and test servers.
 */
export function resolveBaseUrl(options: { region?: string; baseUrl?: string }): string {
  if (options.baseUrl !== undefined && options.baseUrl.trim() !== '') {
    return normalizeBaseUrl(options.baseUrl);
  }
  return regionBaseUrl(options.region ?? DEFAULT_PENDO_REGION);
}
