import type { Logger } from '../log';
import { silentLogger } from '../log';
import type { CatalogEntity } from '../types';
import { CATALOG_ENTITIES } from '../types';
import { DEFAULT_SIZES, resolveEntity } from './data/entities';
import type { Region } from './http/auth';
import { REGIONS } from './http/auth';
import { Random } from './random';
import type { ActivityOptions, ResolvedActivityOptions } from './activity/options';
import { PERSON_SIZE_KEYS, resolveActivityOptions } from './activity/options';

export interface SimulatorOptions extends ActivityOptions {
  /** Seed of all generated data; the same seed and mutations give the same records. Default "pendo-sync". */
  seed?: string | number;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Accepted integration keys; default one key derived from the seed. */
  apiKeys?: string[];
  /** Region of a key; the key is then rejected on other regions' hosts. */
  keyRegions?: Record<string, Region>;
  /** Initial record count per entity (catalog name or API path, e.g. `guides` or `guide`), or of `visitors` and `accounts`. */
  sizes?: Partial<Record<string, number>>;
  /** Number of apps, the default app -323232 included; default 3. */
  apps?: number;
  /** Simulated clock start, as epoch milliseconds or an ISO string; default 2026-11-01T00:00:00Z. */
  startTime?: number | string;
  /** Per entity, how many initial records share one `lastUpdatedAt` (12 hours before the start). */
  sharedTimestamps?: Partial<Record<string, number>>;
  logger?: Logger;
}

/** Options with every default filled in and every value checked. */
export interface ResolvedOptions {
  seed: string;
  port: number;
  host: string;
  apiKeys: string[];
  keyRegions: Map<string, Region>;
  sizes: Record<CatalogEntity, number>;
  apps: number;
  startTime: number;
  sharedTimestamps: Partial<Record<CatalogEntity, number>>;
  logger: Logger;
  activity: ResolvedActivityOptions;
}

export const DEFAULT_START_TIME = Date.UTC(2026, 10, 1);

/** Returns a UUID-shaped key derived from the seed, like the keys Pendo issues. */
export function defaultApiKey(seed: string): string {
  const hex = Random.of(seed, 'apiKey').chars('0123456789abcdef', 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function entityCounts(
  input: Partial<Record<string, number>>,
  option: string,
): Partial<Record<CatalogEntity, number>> {
  const out: Partial<Record<CatalogEntity, number>> = {};
  for (const [name, count] of Object.entries(input)) {
    if (option === 'sizes' && PERSON_SIZE_KEYS[name]) continue;
    const entity = resolveEntity(name);
    if (!entity)
      throw new RangeError(
        `${option}: unknown entity "${name}"; use one of ${CATALOG_ENTITIES.join(', ')}`,
      );
    if (count === undefined) continue;
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`${option}.${name} must be a non-negative integer, got ${count}`);
    out[entity] = count;
  }
  return out;
}

function parseStartTime(value: number | string | undefined): number {
  if (value === undefined) return DEFAULT_START_TIME;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new RangeError(`startTime must be epoch milliseconds or an ISO date, got ${value}`);
  return Math.floor(ms);
}

function keyRegionMap(input: Record<string, Region> | undefined): Map<string, Region> {
  const map = new Map<string, Region>();
  for (const [key, region] of Object.entries(input ?? {})) {
    if (!REGIONS.includes(region))
      throw new RangeError(
        `keyRegions: unknown region "${region}"; use one of ${REGIONS.join(', ')}`,
      );
    map.set(key, region);
  }
  return map;
}

/** Fills in defaults and validates; throws RangeError naming the option at fault. */
export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const seed = String(options.seed ?? 'pendo-sync');
  const apiKeys =
    options.apiKeys && options.apiKeys.length > 0 ? [...options.apiKeys] : [defaultApiKey(seed)];
  const keyRegions = keyRegionMap(options.keyRegions);
  for (const key of keyRegions.keys()) {
    if (!apiKeys.includes(key)) apiKeys.push(key);
  }
  const startTime = parseStartTime(options.startTime);
  return {
    seed,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    apiKeys,
    keyRegions,
    sizes: { ...DEFAULT_SIZES, ...entityCounts(options.sizes ?? {}, 'sizes') },
    apps: options.apps ?? 3,
    startTime,
    sharedTimestamps: entityCounts(options.sharedTimestamps ?? {}, 'sharedTimestamps'),
    logger: options.logger ?? silentLogger,
    activity: resolveActivityOptions(options, options.sizes ?? {}, startTime),
  };
}
