import type { PendoRecord } from '../../types';
import { Random, digitId } from '../random';
import type { GenerationContext } from './context';
import { DAY_MS } from './context';
import { memoize } from './memo';
import { FIRST_NAMES, LAST_NAMES } from './names';

/** Number of distinct Pendo users who create and edit records. */
export const USER_POOL_SIZE = 8;

const USE_CASES = ['IMPROVE_CONVERSION_RATES', 'NOT_SURE', 'ONBOARD_USERS', 'DRIVE_ADOPTION'];

/**
 * Returns user number `index` of the pool, as nested in `createdByUser`. A few users have left
 * the subscription: they carry `deletedAt` and `visitorIds` instead of `useCase`.
 */
export function userRecord(context: GenerationContext, index: number): PendoRecord {
  const position = index % USER_POOL_SIZE;
  return memoize(context, `user:${position}`, () => buildUser(context, position));
}

function buildUser(context: GenerationContext, index: number): PendoRecord {
  const random = Random.of(context.seed, 'user', index);
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const user: PendoRecord = {
    id: digitId(random, 16),
    username: `user${random.int(100, 999)}@example.com`,
    first,
    last,
    role: random.chance(0.8) ? 2 : 1,
    userType: 'normal',
  };
  const lastLogin = context.startTime - random.int(1, 400) * DAY_MS + random.int(0, DAY_MS);
  if (index === USER_POOL_SIZE - 1) {
    user.deletedAt = lastLogin + random.int(1, 30) * DAY_MS;
    user.hasLoggedIn = true;
    user.lastLogin = lastLogin;
    user.visitorIds = [`visitor-${random.int(1, 500)}`];
    return user;
  }
  user.hasLoggedIn = true;
  user.lastLogin = lastLogin;
  user.useCase = random.pick(USE_CASES);
  user.jobRole = 'unset';
  return user;
}

/** Returns the "nobody" user that reports show as `ownedByUser` when they have no owner. */
export function emptyUser(): PendoRecord {
  return {
    id: '',
    username: '',
    first: '',
    last: '',
    role: 0,
    userType: '',
    hasLoggedIn: false,
  };
}
