import type { PendoRecord } from '../../../types';
import { Random } from '../../random';
import { DAY_MS } from '../time-zone';
import type { PeopleContext } from './people-context';
import type { PersonEntity } from './person-kinds';
import { PERSON_ENTITIES, PERSON_KINDS } from './person-kinds';
import { PersonStore } from './person-store';
import { RecordOverrides } from '../../data/record-overrides';

/** Share of initial people without `metadata.auto.lastupdated`. */
const MISSING_LAST_UPDATED = 0.05;
/** Share of initial people last updated by one of a few bulk imports, so they share a time. */
const BULK_UPDATED = 0.2;

/** Visitors and accounts: one light index each and the generators of full records. */
export class People {
  readonly stores: Record<PersonEntity, PersonStore>;

  constructor(
    readonly context: PeopleContext,
    sizes: Record<PersonEntity, number>,
    /** Records put by tests in place of generated ones. */
    readonly overrides = new RecordOverrides(),
  ) {
    this.stores = {
      visitors: this.populate('visitors', sizes.visitors),
      accounts: this.populate('accounts', sizes.accounts),
    };
  }

  /** Generates the current record in `slot`, or returns the one put there. */
  generate(entity: PersonEntity, slot: number): PendoRecord {
    const put = this.overrides.get(entity, slot);
    if (put) return put;
    const store = this.stores[entity];
    return PERSON_KINDS[entity].generate(this.context, {
      slot,
      id: store.ids[slot] ?? '',
      version: store.version[slot] ?? 1,
      lastUpdated: store.lastUpdatedOf(slot),
    });
  }

  /** Returns the ids of live people in slot order. */
  truthIds(entity: PersonEntity): string[] {
    const store = this.stores[entity];
    const ids: string[] = [];
    for (let slot = 0; slot < store.size; slot++) {
      if (store.isLive(slot)) ids.push(store.ids[slot] ?? '');
    }
    return ids;
  }

  /** Yields live records in slot order, generating one at a time. */
  *records(entity: PersonEntity): Generator<PendoRecord> {
    const store = this.stores[entity];
    for (let slot = 0; slot < store.size; slot++) {
      if (store.isLive(slot)) yield this.generate(entity, slot);
    }
  }

  counts(): Record<PersonEntity, number> {
    return { visitors: this.stores.visitors.liveCount, accounts: this.stores.accounts.liveCount };
  }

  private populate(entity: PersonEntity, size: number): PersonStore {
    const { seed } = this.context;
    const store = new PersonStore(size);
    const bulkTimes = Math.max(1, Math.floor(size / 100));
    for (let slot = 0; slot < size; slot++) {
      const random = Random.of(seed, entity, slot, 'index');
      store.append(
        PERSON_KINDS[entity].id(seed, slot),
        initialLastUpdated(this.context, entity, random, bulkTimes),
      );
    }
    return store;
  }
}

function initialLastUpdated(
  context: PeopleContext,
  entity: PersonEntity,
  random: Random,
  bulkTimes: number,
): number {
  const roll = random.next();
  if (roll < MISSING_LAST_UPDATED) return Number.NaN;
  const latest = context.startTime - 60 * 60 * 1000;
  if (roll < MISSING_LAST_UPDATED + BULK_UPDATED) {
    const bulk = Random.of(context.seed, entity, 'bulk', random.int(0, bulkTimes - 1));
    return latest - bulk.int(0, 200) * DAY_MS - bulk.int(0, DAY_MS);
  }
  return latest - random.int(0, 400 * DAY_MS);
}

export { PERSON_ENTITIES };
