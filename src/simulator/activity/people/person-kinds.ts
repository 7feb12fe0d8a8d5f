import type { PendoRecord } from '../../../types';
import { accountId, visitorId } from './person-ids';
import type { PeopleContext, PersonRef } from './people-context';
import { generateAccount } from './accounts';
import { generateVisitor } from './visitors';

/** The two person entities; neither belongs to an app. */
export const PERSON_ENTITIES = ['visitors', 'accounts'] as const;
export type PersonEntity = (typeof PERSON_ENTITIES)[number];

/** Names and generators of one person entity. */
export interface PersonKind {
  entity: PersonEntity;
  /** Field holding the id in aggregation rows. */
  idField: 'visitorId' | 'accountId';
  /** Path segment of the single-record endpoint, as in `/api/v1/visitor/{id}`. */
  apiPath: 'visitor' | 'account';
  id: (seed: string, slot: number) => string;
  generate: (context: PeopleContext, ref: PersonRef) => PendoRecord;
}

export const PERSON_KINDS: Record<PersonEntity, PersonKind> = {
  visitors: {
    entity: 'visitors',
    idField: 'visitorId',
    apiPath: 'visitor',
    id: visitorId,
    generate: generateVisitor,
  },
  accounts: {
    entity: 'accounts',
    idField: 'accountId',
    apiPath: 'account',
    id: accountId,
    generate: generateAccount,
  },
};

/** Finds a person entity by its name (`visitors`) or API path (`visitor`). */
export function resolvePersonEntity(name: string): PersonEntity | undefined {
  if (name === 'visitors' || name === 'visitor') return 'visitors';
  if (name === 'accounts' || name === 'account') return 'accounts';
  return undefined;
}
