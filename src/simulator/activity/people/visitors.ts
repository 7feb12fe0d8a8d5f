import type { PendoRecord } from '../../../types';
import { Random, hashSeed } from '../../random';
import { DAY_MS } from '../time-zone';
import { deviceOf, remoteIpOf } from '../devices';
import type { PeopleContext, PersonRef } from './people-context';
import { perAppGroup } from './people-context';
import { accountId, visitorKind } from './person-ids';

const LANGUAGES = ['en_US', 'en_GB', 'es_419', 'de_DE', 'fr_FR', 'ja_JP', 'pt_BR'];
const ROLES = ['admin', 'analyst', 'viewer', 'owner'];

/** Returns the slot of the visitor's account, or -1 for visitors without one. */
export function accountSlotOf(context: PeopleContext, visitorSlot: number): number {
  if (context.initialAccounts === 0) return -1;
  if (visitorKind(context.seed, visitorSlot) === 'anonymous') return -1;
  const random = Random.of(context.seed, 'visitors', visitorSlot, 'account');
  return Math.floor(random.next() ** 2 * context.initialAccounts);
}

/** Returns the account id of a visitor, or "" when the visitor has no account. */
export function accountIdOfVisitor(context: PeopleContext, visitorSlot: number): string {
  const slot = accountSlotOf(context, visitorSlot);
  return slot < 0 ? '' : accountId(context.seed, slot);
}

/** Builds the per-app groups of the apps a person used: `{auto__323232: {firstvisit, …}}`. */
export function perAppGroups(
  context: PeopleContext,
  random: Random,
  firstVisit: number,
  lastVisit: number,
): PendoRecord {
  const groups: PendoRecord = {};
  context.apps.forEach((appId, index) => {
    if (index > 0 && !random.chance(0.3)) return;
    // Pendo leaves `firstvisit` at 0 in some per-app groups, as its sandbox data shows.
    const unset = random.chance(0.2);
    groups[perAppGroup(appId)] = unset
      ? { firstvisit: 0 }
      : { firstvisit: firstVisit, lastvisit: lastVisit };
  });
  return groups;
}

function autoGroup(context: PeopleContext, ref: PersonRef, random: Random): PendoRecord {
  const device = deviceOf(context.seed, ref.slot);
  const firstVisit = context.startTime - random.int(2, 900) * DAY_MS + random.int(0, DAY_MS);
  const lastVisit = Math.max(
    firstVisit,
    (ref.lastUpdated ?? context.startTime) - random.int(0, 3_600_000),
  );
  const account = accountIdOfVisitor(context, ref.slot);
  const auto: PendoRecord = {};
  if (account !== '') {
    auto.accountid = account;
    auto.accountids = [account];
  }
  Object.assign(auto, {
    firstvisit: firstVisit,
    id: ref.id,
    idhash: hashSeed(ref.id),
    lastbrowsername: device.browserName,
    lastbrowserversion: device.browserVersion,
    lastoperatingsystem: device.operatingSystem,
    lastservername: 'app.example.com',
  });
  if (ref.lastUpdated !== undefined) auto.lastupdated = ref.lastUpdated;
  auto.lastuseragent = device.userAgent;
  auto.lastvisit = lastVisit;
  auto.nid = ref.slot;
  return auto;
}

/** Custom fields are set by the customer's install script, so most are null for most visitors. */
function customGroup(random: Random): PendoRecord {
  return {
    role: random.chance(0.6) ? random.pick(ROLES) : null,
    planlevel: random.chance(0.3) ? random.pick(['free', 'pro', 'enterprise']) : null,
    betatester: random.chance(0.2) ? random.chance(0.5) : null,
  };
}

/** Generates the visitor record, shaped like a row of the `visitors` aggregation source. */
export function generateVisitor(context: PeopleContext, ref: PersonRef): PendoRecord {
  const kind = visitorKind(context.seed, ref.slot);
  const stable = Random.of(context.seed, 'visitors', ref.slot, 'record');
  const versioned = Random.of(context.seed, 'visitors', ref.slot, ref.version, 'record');
  if (kind === 'doNotProcess') {
    const auto: PendoRecord = { id: ref.id, idhash: hashSeed(ref.id) };
    if (ref.lastUpdated !== undefined) auto.lastupdated = ref.lastUpdated;
    return { metadata: { auto, pendo: { donotprocess: true } }, visitorId: ref.id };
  }
  const auto = autoGroup(context, ref, stable);
  const metadata: PendoRecord = {};
  const ipaddress = remoteIpOf(context.seed, ref.slot, 0);
  metadata.agent =
    kind === 'anonymous'
      ? { ipaddress }
      : { email: `visitor${ref.slot}@example.com`, ipaddress, language: versioned.pick(LANGUAGES) };
  metadata.auto = auto;
  Object.assign(
    metadata,
    perAppGroups(context, stable, Number(auto.firstvisit), Number(auto.lastvisit)),
  );
  metadata.custom = kind === 'anonymous' ? {} : customGroup(versioned);
  metadata.pendo = { donotprocess: false, blacklistguides: versioned.chance(0.02) };
  if (kind === 'identified' && stable.chance(0.3)) {
    metadata.salesforce = { email: `visitor${ref.slot}@example.com` };
  }
  return { metadata, visitorId: ref.id };
}
