/**
 * Shared types of pendo-sync.
 *
 * Glossary:
 * - entity: one kind of Pendo record (guides, features, …, visitors, accounts), stored in one table.
 * - run: one invocation of `pendo-sync sync`; it syncs several entities and has one id.
 * - pass: one walk over an entity's records inside a run (incremental, full or id-only).
 * - page: one request to Pendo; its records arrive as a stream.
 * - batch: the records written to PostgreSQL in one transaction together with the cursor.
 * - cursor: the (timestamp, id) position after the last committed record of an entity.
 * - checkpoint: the cursor of a full pass that has not finished yet, so a later run resumes it.
 */

/** A record as Pendo returns it: a JSON object. */
export type PendoRecord = Record<string, unknown>;

/** Catalog entities, in the order a run starts them. */
export const CATALOG_ENTITIES = [
  'guides',
  'features',
  'pages',
  'track_types',
  'reports',
  'segments',
] as const;

export type CatalogEntity = (typeof CATALOG_ENTITIES)[number];

/** Subscription-level people entities, read from the `visitors` and `accounts` aggregation sources. */
export const PEOPLE_ENTITIES = ['visitors', 'accounts'] as const;

export type PeopleEntity = (typeof PEOPLE_ENTITIES)[number];

/** Every entity pendo-sync stores, in the order a run starts them. */
export const ENTITIES = [...CATALOG_ENTITIES, ...PEOPLE_ENTITIES] as const;

export type Entity = CatalogEntity | PeopleEntity;

/** Dotted paths of a record's id and of its last-update time (epoch ms). */
export interface RecordKeys {
  idField: 'id' | 'visitorId' | 'accountId';
  timestampPath: 'lastUpdatedAt' | 'metadata.auto.lastupdated';
}

const CATALOG_KEYS: RecordKeys = { idField: 'id', timestampPath: 'lastUpdatedAt' };

export const RECORD_KEYS: Readonly<Record<Entity, RecordKeys>> = {
  guides: CATALOG_KEYS,
  features: CATALOG_KEYS,
  pages: CATALOG_KEYS,
  track_types: CATALOG_KEYS,
  reports: CATALOG_KEYS,
  segments: CATALOG_KEYS,
  visitors: { idField: 'visitorId', timestampPath: 'metadata.auto.lastupdated' },
  accounts: { idField: 'accountId', timestampPath: 'metadata.auto.lastupdated' },
};

/** Returns true for the catalog entities, whose records belong to apps. */
export function isCatalogEntity(entity: Entity): entity is CatalogEntity {
  return (CATALOG_ENTITIES as readonly string[]).includes(entity);
}

/** Kind of pass that reads an entity. */
export type SyncMode = 'incremental' | 'full';

/** Run states stored in `sync_status.status`. */
export const RUN_STATUSES = ['running', 'completed', 'partial', 'failed'] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

/** Position after the last committed record: records sort by (timestamp, id). */
export interface Cursor {
  /** Epoch milliseconds, as Pendo sends them. */
  timestamp: number;
  id: string;
}

/** The default web app of every Pendo subscription. */
export const DEFAULT_APP_ID = -323232;
