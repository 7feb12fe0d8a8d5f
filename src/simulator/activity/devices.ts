import { Random } from '../random';
import { pickSkewed } from './skew';

/** A browser and system a visitor uses; events and visitor metadata report the same one. */
export interface Device {
  userAgent: string;
  browserName: string;
  browserVersion: string;
  operatingSystem: string;
}

const DEVICES: readonly Device[] = [
  {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36',
    browserName: 'Chrome',
    browserVersion: '141.0.0',
    operatingSystem: 'Windows',
  },
  {
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15',
    browserName: 'Safari',
    browserVersion: '18.6',
    operatingSystem: 'Mac OS X',
  },
  {
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0',
    browserName: 'Firefox',
    browserVersion: '144.0',
    operatingSystem: 'Windows',
  },
  {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0',
    browserName: 'Edge',
    browserVersion: '140.0.0',
    operatingSystem: 'Windows',
  },
  {
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1',
    browserName: 'Mobile Safari',
    browserVersion: '18.6',
    operatingSystem: 'iOS',
  },
];

/** A place a visitor connects from, as guide events report it. */
export interface Location {
  country: string;
  region: string;
  latitude: number;
  longitude: number;
}

const LOCATIONS: readonly Location[] = [
  { country: 'US', region: 'nc', latitude: 35.7796, longitude: -78.6382 },
  { country: 'US', region: 'ca', latitude: 37.7749, longitude: -122.4194 },
  { country: 'US', region: 'ny', latitude: 40.7128, longitude: -74.006 },
  { country: 'GB', region: 'eng', latitude: 51.5072, longitude: -0.1276 },
  { country: 'DE', region: 'be', latitude: 52.52, longitude: 13.405 },
  { country: 'BR', region: 'sp', latitude: -23.5505, longitude: -46.6333 },
  { country: 'JP', region: '13', latitude: 35.6762, longitude: 139.6503 },
];

/** Returns the device of a visitor; it never changes, so events and metadata agree. */
export function deviceOf(seed: string, visitorSlot: number): Device {
  const random = Random.of(seed, 'visitors', visitorSlot, 'device');
  return pickSkewed(random, DEVICES, 1.5);
}

export function locationOf(seed: string, visitorSlot: number): Location {
  return Random.of(seed, 'visitors', visitorSlot, 'location').pick(LOCATIONS);
}

/** Returns an address from the documentation ranges (RFC 5737 and RFC 3849) for a visitor. */
export function remoteIpOf(seed: string, visitorSlot: number, variant: number): string {
  const random = Random.of(seed, 'visitors', visitorSlot, 'ip', variant);
  if (random.chance(0.15)) return `2001:db8::${random.int(1, 0xffff).toString(16)}`;
  const prefix = random.pick(['192.0.2', '198.51.100', '203.0.113']);
  return `${prefix}.${random.int(1, 254)}`;
}
