import type { IncomingMessage } from 'node:http';

export const REGIONS = ['us', 'us1', 'eu', 'jpn', 'au'] as const;
export type Region = (typeof REGIONS)[number];

/** Pendo's API host of each data center. */
export const REGION_HOSTS: Record<Region, string> = {
  us: 'app.pendo.io',
  us1: 'us1.app.pendo.io',
  eu: 'app.eu.pendo.io',
  jpn: 'app.jpn.pendo.io',
  au: 'app.au.pendo.io',
};

const HEADER = 'x-pendo-integration-key';

/** Returns the region whose host the request's Host header names, without the port. */
export function regionOfHost(hostHeader: string | undefined): Region | undefined {
  const host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
  return (Object.keys(REGION_HOSTS) as Region[]).find((region) => REGION_HOSTS[region] === host);
}

/**
 * Checks the integration key. Returns the text of a 403 reply, or undefined when the key is
 * accepted. A key bound to a region is rejected when the Host header names another
 * region's host. Local hosts (127.0.0.1, localhost) and unknown hosts accept every
 * configured key.
 */
export function checkIntegrationKey(
  request: IncomingMessage,
  keys: ReadonlySet<string>,
  keyRegions: ReadonlyMap<string, Region>,
): string | undefined {
  const header = request.headers[HEADER];
  const key = Array.isArray(header) ? header[0] : header;
  if (!key) return `Missing ${HEADER} header`;
  if (!keys.has(key)) return 'Invalid integration key';
  const hostRegion = regionOfHost(request.headers.host);
  const keyRegion = keyRegions.get(key);
  if (hostRegion && keyRegion && hostRegion !== keyRegion) {
    return `Integration key belongs to region ${keyRegion}, not ${hostRegion}`;
  }
  return undefined;
}
