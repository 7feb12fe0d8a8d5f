import { RECORD_KEYS } from '../types';
import type { Entity, RecordKeys } from '../types';

/** Path segment of a Pendo list endpoint, as in `GET /api/v1/<path>`. */
export type ListPath = 'guide' | 'feature' | 'page' | 'tracktype' | 'report' | 'segment';

/** Name of an aggregation source, the first stage of a pipeline. */
export type AggregationSourceName =
  'guides' | 'features' | 'pages' | 'trackTypes' | 'visitors' | 'accounts';

/** Endpoints that pendo-sync reads one entity from, and where its records keep their keys. */
export interface EntitySpec extends RecordKeys {
  entity: Entity;
  /** List endpoint of the catalog entities; visitors and accounts have none. */
  listPath?: ListPath;
  /**
   * Aggregation source that serves the same records with filter, sort and limit. Entities
   * without one (reports, segments) are read whole from their list endpoint on every run.
   */
  aggregationSource?: AggregationSourceName;
  /**
   * True when records belong to apps: the source then gets an `appId` parameter and deletion
   * detection is limited to the configured apps. Visitors and accounts are subscription-level.
   */
  appScoped: boolean;
}

function catalogSpec(
  entity: Entity,
  listPath: ListPath,
  aggregationSource?: AggregationSourceName,
): EntitySpec {
  return { entity, listPath, aggregationSource, appScoped: true, ...RECORD_KEYS[entity] };
}

export const ENTITY_SPECS: Record<Entity, EntitySpec> = {
  guides: catalogSpec('guides', 'guide', 'guides'),
  features: catalogSpec('features', 'feature', 'features'),
  pages: catalogSpec('pages', 'page', 'pages'),
  track_types: catalogSpec('track_types', 'tracktype', 'trackTypes'),
  reports: catalogSpec('reports', 'report'),
  segments: catalogSpec('segments', 'segment'),
  visitors: {
    entity: 'visitors',
    aggregationSource: 'visitors',
    appScoped: false,
    ...RECORD_KEYS.visitors,
  },
  accounts: {
    entity: 'accounts',
    aggregationSource: 'accounts',
    appScoped: false,
    ...RECORD_KEYS.accounts,
  },
};

/** An entity read through its aggregation source. */
export type AggregationSpec = EntitySpec & { aggregationSource: AggregationSourceName };
