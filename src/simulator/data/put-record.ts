import type { CatalogEntity, PendoRecord } from '../../types';
import type { People } from '../activity/people/people';
import type { PersonEntity } from '../activity/people/person-kinds';
import { PERSON_KINDS } from '../activity/people/person-kinds';
import { readPath } from '../aggregation/row';
import { SimulatorHttpError } from '../errors';
import type { Catalog } from './catalog';
import { ENTITY_INFO } from './entities';
import { NO_APP } from './store';

/** Outcome of `putRecord`: the record's id and whether it was new. */
export interface PutRecordResult {
  id: string;
  /** True when the id was new, false when its record was replaced. */
  created: boolean;
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function requireId(record: PendoRecord, field: string, entity: string): string {
  const id = record[field];
  if (typeof id !== 'string' || id === '') {
    throw new SimulatorHttpError(
      400,
      `Invalid ${entity} record: "${field}" must be a non-empty string, got ${JSON.stringify(id)}`,
    );
  }
  return id;
}

/**
 * Parses a record given as JSON text, or returns an object as is. JSON.parse rounds numbers
 * beyond 2^53, which only affects the light index (sort and filter keys), because the text is
 * what the endpoints send.
 */
export function readPutRecord(input: PendoRecord | string): PendoRecord {
  const record: unknown = typeof input === 'string' ? JSON.parse(input) : input;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new SimulatorHttpError(400, 'Invalid record: expected a JSON object');
  }
  return record as PendoRecord;
}

/**
 * Puts a catalog record in place of the generated one with its id, or adds it. The light
 * index takes `lastUpdatedAt` and `createdAt` (0 when missing, null or not a number) and the
 * app of `appId` (the default app when `appId` names no app of the subscription).
 */
export function putCatalogRecord(
  catalog: Catalog,
  entity: CatalogEntity,
  record: PendoRecord,
  text?: string,
): PutRecordResult {
  const id = requireId(record, 'id', entity);
  const store = catalog.stores[entity];
  const lastUpdatedAt = finiteOr(record.lastUpdatedAt, 0);
  const createdAt = finiteOr(record.createdAt, 0);
  const appIndex = ENTITY_INFO[entity].appLevel
    ? Math.max(0, catalog.appIndexOf(finiteOr(record.appId, Number.NaN)))
    : NO_APP;
  let slot = store.findSlot(id);
  const created = slot < 0;
  if (created) {
    slot = store.append(id, appIndex, createdAt, lastUpdatedAt);
  } else {
    store.appIndex[slot] = appIndex;
    store.createdAt[slot] = createdAt;
    store.touch(slot, lastUpdatedAt);
  }
  catalog.overrides.set(entity, slot, record, text);
  return { id, created };
}

/**
 * Puts a visitor or account in place of the generated one with its id, or adds it. The light
 * index takes `metadata.auto.lastupdated` when it is a number, and no time otherwise.
 */
export function putPersonRecord(
  people: People,
  entity: PersonEntity,
  record: PendoRecord,
  text?: string,
): PutRecordResult {
  const id = requireId(record, PERSON_KINDS[entity].idField, entity);
  const store = people.stores[entity];
  const lastUpdated = finiteOr(readPath(record, 'metadata.auto.lastupdated'), Number.NaN);
  let slot = store.findSlot(id);
  const created = slot < 0;
  if (created) slot = store.append(id, lastUpdated);
  else store.touch(slot, lastUpdated);
  people.overrides.set(entity, slot, record, text);
  return { id, created };
}
