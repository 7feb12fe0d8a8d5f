import type { CatalogEntity, PendoRecord } from '../../types';
import type { Catalog } from '../data/catalog';
import { ENTITY_INFO } from '../data/entities';
import { NO_APP } from '../data/store';

/**
 * A row read one path at a time from a light index, so a filter or sort on indexed fields
 * never generates the full record. Sources other than the catalog (visitors, accounts)
 * extend it.
 */
export abstract class LazyRow {
  abstract get(path: string): unknown;
  /** Returns the full record, generating it on first use. */
  abstract record(): PendoRecord;
}

/**
 * A catalog record seen through the light index. Reading `id`, `appId`, `createdAt`,
 * `lastUpdatedAt`, `kind` or `rootVersionId` costs an array read. Any other path generates
 * the full record once, and the row keeps it until it is discarded.
 */
export class LazyRecord extends LazyRow {
  private full: PendoRecord | undefined;

  constructor(
    private readonly catalog: Catalog,
    readonly entity: CatalogEntity,
    readonly slot: number,
  ) {
    super();
  }

  get(path: string): unknown {
    const store = this.catalog.stores[this.entity];
    switch (path) {
      case 'id':
      case 'rootVersionId':
        return store.ids[this.slot];
      case 'lastUpdatedAt':
        return store.lastUpdatedAt[this.slot];
      case 'createdAt':
        return store.createdAt[this.slot];
      case 'kind':
        return ENTITY_INFO[this.entity].kind;
      case 'appId': {
        const appIndex = store.appIndex[this.slot] ?? NO_APP;
        return appIndex === NO_APP ? undefined : this.catalog.context.apps[appIndex];
      }
      default:
        return readPath(this.record(), path);
    }
  }

  /** Returns the full record, generating it on first use. */
  record(): PendoRecord {
    this.full ??= this.catalog.generate(this.entity, this.slot);
    return this.full;
  }
}

/** A pipeline row: a record not yet generated, or a plain object built by a generator or operator. */
export type Row = LazyRow | PendoRecord;

/** Reads a dotted path from a JSON value; a numeric segment indexes an array. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else {
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/** Reads a dotted path from a row. */
export function readField(row: Row, path: string): unknown {
  return row instanceof LazyRow ? row.get(path) : readPath(row, path);
}

/** Returns the row as a plain JSON object. */
export function toRecord(row: Row): PendoRecord {
  return row instanceof LazyRow ? row.record() : row;
}
