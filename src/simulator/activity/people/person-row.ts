import type { PendoRecord } from '../../../types';
import { LazyRow } from '../../aggregation/row';
import { readPath } from '../../aggregation/row';
import type { People } from './people';
import type { PersonEntity } from './person-kinds';
import { PERSON_KINDS } from './person-kinds';

/** Paths a person row reads from the light index without generating the record. */
export const INDEXED_PERSON_PATHS = new Set([
  'visitorId',
  'accountId',
  'metadata.auto.id',
  'metadata.auto.lastupdated',
]);

/**
 * A visitor or account seen through the light index: the id and `metadata.auto.lastupdated`
 * cost an array read, any other path generates the record once.
 */
export class PersonRow extends LazyRow {
  private full: PendoRecord | undefined;

  constructor(
    private readonly people: People,
    readonly entity: PersonEntity,
    readonly slot: number,
  ) {
    super();
  }

  get(path: string): unknown {
    const store = this.people.stores[this.entity];
    if (path === PERSON_KINDS[this.entity].idField || path === 'metadata.auto.id') {
      return store.ids[this.slot];
    }
    if (path === 'metadata.auto.lastupdated') return store.lastUpdatedOf(this.slot);
    return readPath(this.record(), path);
  }

  record(): PendoRecord {
    this.full ??= this.people.generate(this.entity, this.slot);
    return this.full;
  }
}
