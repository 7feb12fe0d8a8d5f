import { deviceOf, locationOf, remoteIpOf } from '../devices';
import type { Location } from '../devices';
import type { PeopleContext } from '../people/people-context';
import { accountIdOfVisitor } from '../people/visitors';

/** Fields that every event of one visitor repeats: account, browser, addresses and place. */
export interface VisitorTraits {
  accountId: string;
  userAgent: string;
  /** The visitor's usual address and a second one used now and then. */
  remoteIps: [string, string];
  location: Location;
}

/**
 * Computes visitor traits once per visitor and keeps them, so generating an event row costs
 * no hashing for its visitor fields. Memory grows with the visitors that have events.
 */
export class VisitorTraitsCache {
  private readonly traits: (VisitorTraits | undefined)[] = [];

  constructor(private readonly people: PeopleContext) {}

  of(slot: number): VisitorTraits {
    let traits = this.traits[slot];
    if (!traits) {
      const seed = this.people.seed;
      traits = {
        accountId: accountIdOfVisitor(this.people, slot),
        userAgent: deviceOf(seed, slot).userAgent,
        remoteIps: [remoteIpOf(seed, slot, 0), remoteIpOf(seed, slot, 1)],
        location: locationOf(seed, slot),
      };
      this.traits[slot] = traits;
    }
    return traits;
  }
}
