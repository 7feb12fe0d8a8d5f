import type { CatalogEntity, PendoRecord } from '../../types';
import { CATALOG_ENTITIES, DEFAULT_APP_ID } from '../../types';
import { Random, digitId } from '../random';
import type { GenerationContext } from './context';
import { DAY_MS, recordId } from './context';
import { ENTITY_INFO } from './entities';
import { generateFeature } from './features';
import { generateGuide } from './guides';
import { generatePage } from './pages';
import { generateReport } from './reports';
import { generateSegment } from './segments';
import { RecordOverrides } from './record-overrides';
import type { LightRow } from './store';
import { EntityStore, NO_APP } from './store';
import { generateTrackType } from './track-types';

/** Largest number of apps: app indexes are bytes and 255 means "no app". */
export const MAX_APPS = 254;

export interface CatalogOptions {
  seed: string;
  /** Number of apps, the default app included. */
  appCount: number;
  sizes: Record<CatalogEntity, number>;
  /** Epoch milliseconds of the simulated clock's start; every initial record is older. */
  startTime: number;
  /** Per entity, how many initial records share one `lastUpdatedAt` (12 hours before the start). */
  sharedTimestamps: Partial<Record<CatalogEntity, number>>;
}

const GENERATORS: Record<
  CatalogEntity,
  (context: GenerationContext, row: LightRow) => PendoRecord
> = {
  guides: generateGuide,
  features: generateFeature,
  pages: generatePage,
  track_types: generateTrackType,
  reports: generateReport,
  segments: generateSegment,
};

/** Returns the subscription's app ids: the default app, 5629499534213120, then seeded large ids. */
function appIds(seed: string, count: number): number[] {
  const apps = [DEFAULT_APP_ID, 5629499534213120];
  for (let i = 2; i < count; i++) {
    const random = Random.of(seed, 'app', i);
    apps.push(2 ** 52 + random.int(1, 2 ** 40) * 1024);
  }
  return apps.slice(0, count);
}

/** Picks an app for a new record: half go to the default app, the rest spread over the others. */
export function pickAppIndex(random: Random, appCount: number, appLevel: boolean): number {
  if (!appLevel) return NO_APP;
  if (appCount === 1 || random.chance(0.5)) return 0;
  return random.int(1, appCount - 1);
}

/**
 * The simulated subscription: one light index per entity and the generators that turn a
 * slot and version into a full record.
 */
export class Catalog {
  readonly context: GenerationContext;
  readonly stores: Record<CatalogEntity, EntityStore>;
  /** Records put by tests in place of generated ones, for the catalog and for people. */
  readonly overrides = new RecordOverrides();

  constructor(options: CatalogOptions) {
    if (options.appCount < 1 || options.appCount > MAX_APPS) {
      throw new RangeError(`apps must be between 1 and ${MAX_APPS}, got ${options.appCount}`);
    }
    this.context = {
      seed: options.seed,
      apps: appIds(options.seed, options.appCount),
      subscriptionId: digitId(Random.of(options.seed, 'subscription'), 16),
      startTime: options.startTime,
      initialSizes: { ...options.sizes },
    };
    const stores = {} as Record<CatalogEntity, EntityStore>;
    for (const entity of CATALOG_ENTITIES) {
      stores[entity] = this.populate(entity, options);
    }
    this.stores = stores;
  }

  /** Generates the current full record in `slot` of `entity`, or returns the one put there. */
  generate(entity: CatalogEntity, slot: number): PendoRecord {
    const put = this.overrides.get(entity, slot);
    if (put) return put;
    return GENERATORS[entity](this.context, this.stores[entity].row(slot));
  }

  /** Returns the index of `appId` in the app list, or -1. */
  appIndexOf(appId: number): number {
    return this.context.apps.indexOf(appId);
  }

  private populate(entity: CatalogEntity, options: CatalogOptions): EntityStore {
    const size = options.sizes[entity];
    const store = new EntityStore(entity, size);
    const sharedCount = Math.min(size, options.sharedTimestamps[entity] ?? 0);
    const sharedTime = options.startTime - DAY_MS / 2;
    const bulkTimes = Math.max(1, Math.floor(size / 50));
    for (let slot = 0; slot < size; slot++) {
      const random = Random.of(options.seed, entity, slot, 'index');
      const appIndex = pickAppIndex(random, options.appCount, ENTITY_INFO[entity].appLevel);
      const { createdAt, lastUpdatedAt } = initialTimes(options, entity, random, bulkTimes);
      store.append(recordId(this.context, entity, slot), appIndex, createdAt, lastUpdatedAt);
    }
    for (let i = 0; i < sharedCount; i++) {
      const slot = Math.floor((i * size) / sharedCount);
      store.createdAt[slot] = Math.min(store.createdAt[slot] ?? sharedTime, sharedTime);
      store.lastUpdatedAt[slot] = sharedTime;
    }
    return store;
  }
}

/**
 * Draws the creation and last-update times of an initial record. About 30% of records were
 * last touched by one of a few bulk edits, so they share a `lastUpdatedAt` with others, and
 * about 10% were never edited after creation.
 */
function initialTimes(
  options: CatalogOptions,
  entity: CatalogEntity,
  random: Random,
  bulkTimes: number,
): { createdAt: number; lastUpdatedAt: number } {
  const latest = options.startTime - 60 * 60 * 1000;
  let createdAt = latest - random.int(1, 1000) * DAY_MS + random.int(0, DAY_MS);
  if (random.chance(0.3)) {
    const bulk = Random.of(options.seed, entity, 'bulk', random.int(0, bulkTimes - 1));
    const lastUpdatedAt = latest - bulk.int(0, 365) * DAY_MS - bulk.int(0, DAY_MS);
    createdAt = Math.min(createdAt, lastUpdatedAt - random.int(0, 100) * DAY_MS);
    return { createdAt, lastUpdatedAt };
  }
  if (random.chance(0.1)) return { createdAt, lastUpdatedAt: createdAt };
  return { createdAt, lastUpdatedAt: createdAt + Math.floor(random.next() * (latest - createdAt)) };
}
