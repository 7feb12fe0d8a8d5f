import type { CatalogEntity } from '../types';

/** Path segment of a Pendo list endpoint, as in `GET /api/v1/<path>`. */
export type ListPath = 'guide' | 'feature' | 'page' | 'tracktype' | 'report' | 'segment';

/** Endpoints that pendo-sync reads one catalog entity from. */
export interface EntitySpec {
  entity: CatalogEntity;
  listPath: ListPath;
  /**
   * Aggregation source that serves the same records with filter, sort and limit. Entities
   * without one (reports, segments) are read whole from their list endpoint on every run.
   */
  aggregationSource?: 'guides' | 'features' | 'pages' | 'trackTypes';
}

export const ENTITY_SPECS: Record<CatalogEntity, EntitySpec> = {
  guides: { entity: 'guides', listPath: 'guide', aggregationSource: 'guides' },
  features: { entity: 'features', listPath: 'feature', aggregationSource: 'features' },
  pages: { entity: 'pages', listPath: 'page', aggregationSource: 'pages' },
  track_types: { entity: 'track_types', listPath: 'tracktype', aggregationSource: 'trackTypes' },
  reports: { entity: 'reports', listPath: 'report' },
  segments: { entity: 'segments', listPath: 'segment' },
};
