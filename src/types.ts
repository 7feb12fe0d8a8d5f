/**
 * Shared types of pendo-sync.
 *
 * Glossary:
 * - entity: one kind of Pendo catalog object (guides, features, …), stored in one table.
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
