import type { PendoRecord } from '../../../types';
import { Random, hashSeed } from '../../random';
import { DAY_MS } from '../time-zone';
import type { PeopleContext, PersonRef } from './people-context';
import { COMPANY_WORDS } from './person-ids';
import { perAppGroups } from './visitors';

const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const INDUSTRIES = ['Retail', 'Healthcare', 'Finance', 'Education', 'Manufacturing', 'Software'];

/** Custom account fields; most are null, as they are in real subscriptions. */
function customGroup(context: PeopleContext, random: Random): PendoRecord {
  return {
    planlevel: random.chance(0.4) ? random.pick(PLANS) : null,
    arrannuallyrecurringrevenue: random.chance(0.3) ? random.int(1, 500) * 1000 : null,
    industry: random.chance(0.35) ? random.pick(INDUSTRIES) : null,
    customersuccessmanager: random.chance(0.2) ? `csm${random.int(1, 9)}@example.com` : null,
    renewaldate: random.chance(0.2) ? context.startTime + random.int(1, 365) * DAY_MS : null,
    totallicenses: random.chance(0.25) ? random.int(1, 2000) : null,
  };
}

/** Generates the account record, shaped like a row of the `accounts` aggregation source. */
export function generateAccount(context: PeopleContext, ref: PersonRef): PendoRecord {
  const stable = Random.of(context.seed, 'accounts', ref.slot, 'record');
  const versioned = Random.of(context.seed, 'accounts', ref.slot, ref.version, 'record');
  const firstVisit = context.startTime - stable.int(30, 1500) * DAY_MS + stable.int(0, DAY_MS);
  const lastVisit = Math.max(
    firstVisit,
    (ref.lastUpdated ?? context.startTime) - stable.int(0, 7 * DAY_MS),
  );
  const auto: PendoRecord = { firstvisit: firstVisit, id: ref.id, idhash: hashSeed(ref.id) };
  if (ref.lastUpdated !== undefined) auto.lastupdated = ref.lastUpdated;
  auto.lastvisit = lastVisit;
  const metadata: PendoRecord = {
    agent: { name: `${stable.pick(COMPANY_WORDS)} ${ref.slot}`, is_paying: versioned.chance(0.6) },
    auto,
    ...perAppGroups(context, stable, firstVisit, lastVisit),
    custom: customGroup(context, versioned),
    pendo: { donotprocess: false },
  };
  return { accountId: ref.id, metadata };
}
