import type { CatalogEntity } from '../../types';
import { CATALOG_ENTITIES } from '../../types';

/** Names and scope of one catalog entity in the Pendo API. */
export interface EntityInfo {
  entity: CatalogEntity;
  /** Path segment of the list endpoint, as in `/api/v1/guide`. */
  apiPath: string;
  /** Aggregation source name, when the entity has one. */
  source: string | undefined;
  /** Value of the record's `kind` field. */
  kind: string;
  /** App-level records carry `appId`; subscription-level records (reports, segments) do not. */
  appLevel: boolean;
}

export const ENTITY_INFO: Record<CatalogEntity, EntityInfo> = {
  guides: { entity: 'guides', apiPath: 'guide', source: 'guides', kind: 'Guide', appLevel: true },
  features: {
    entity: 'features',
    apiPath: 'feature',
    source: 'features',
    kind: 'Feature',
    appLevel: true,
  },
  pages: { entity: 'pages', apiPath: 'page', source: 'pages', kind: 'Page', appLevel: true },
  track_types: {
    entity: 'track_types',
    apiPath: 'tracktype',
    source: 'trackTypes',
    kind: 'TrackType',
    appLevel: true,
  },
  reports: {
    entity: 'reports',
    apiPath: 'report',
    source: undefined,
    kind: 'Report',
    appLevel: false,
  },
  segments: {
    entity: 'segments',
    apiPath: 'segment',
    source: undefined,
    kind: 'Segment',
    appLevel: false,
  },
};

/** Default number of records per entity: small, so tests and demos start fast. */
export const DEFAULT_SIZES: Record<CatalogEntity, number> = {
  guides: 120,
  features: 300,
  pages: 150,
  track_types: 25,
  reports: 30,
  segments: 15,
};

/** Finds an entity by its catalog name (`track_types`), API path (`tracktype`) or source name (`trackTypes`). */
export function resolveEntity(name: string): CatalogEntity | undefined {
  for (const entity of CATALOG_ENTITIES) {
    const info = ENTITY_INFO[entity];
    if (name === entity || name === info.apiPath || name === info.source) return entity;
  }
  return undefined;
}

/** Finds the entity read by an aggregation source such as `trackTypes`. */
export function entityForSource(source: string): CatalogEntity | undefined {
  return CATALOG_ENTITIES.find((entity) => ENTITY_INFO[entity].source === source);
}

/** Finds the entity listed by an API path segment such as `tracktype`. */
export function entityForApiPath(path: string): CatalogEntity | undefined {
  return CATALOG_ENTITIES.find((entity) => ENTITY_INFO[entity].apiPath === path);
}
