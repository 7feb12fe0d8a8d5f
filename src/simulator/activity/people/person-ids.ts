import { Random } from '../../random';

/** Visitor ids of anonymous visitors start with this prefix. */
export const ANONYMOUS_PREFIX = '_PENDO_T_';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** Kind of visitor record, fixed for a slot whatever its version. */
export type VisitorKind = 'identified' | 'anonymous' | 'doNotProcess';

/** Returns the kind of the visitor in `slot`: about 30% anonymous and 3% do-not-process. */
export function visitorKind(seed: string, slot: number): VisitorKind {
  const roll = Random.of(seed, 'visitors', slot, 'kind').next();
  if (roll < 0.3) return 'anonymous';
  return roll < 0.33 ? 'doNotProcess' : 'identified';
}

/**
 * Ids with characters a filter must escape (quotes, backslashes) or that sort beyond ASCII.
 * Real subscriptions hold such ids from security scanners and non-English user names.
 */
function unusualId(random: Random, slot: number): string {
  switch (random.int(0, 4)) {
    case 0:
      return `o'neil "admin" ${slot}`;
    case 1:
      return `CORP\\user${slot}`;
    case 2:
      return `josé.garcía+${slot}@example.com`;
    case 3:
      return `用户${slot}`;
    default:
      return `"><script>alert(${slot})</script>`;
  }
}

/** Returns the id of the visitor in `slot`; the slot number inside keeps ids unique. */
export function visitorId(seed: string, slot: number): string {
  const kind = visitorKind(seed, slot);
  const random = Random.of(seed, 'visitors', slot, 'id');
  if (kind === 'anonymous') return random.chars(ALPHANUMERIC, 12, ANONYMOUS_PREFIX);
  if (random.chance(0.04)) return unusualId(random, slot);
  if (random.chance(0.5)) return String(slot * 1000 + random.int(0, 999));
  return `user${slot}-${random.chars(HEX, 6)}@example.com`;
}

/** Returns the id of the account in `slot`: hex like Pendo's sandbox, company names, or odd text. */
export function accountId(seed: string, slot: number): string {
  const random = Random.of(seed, 'accounts', slot, 'id');
  if (random.chance(0.04)) return unusualId(random, slot);
  if (random.chance(0.5)) return random.chars(HEX, 9) + slot.toString(16).padStart(4, '0');
  return `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_SUFFIXES)} ${slot}`;
}

export const COMPANY_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay'];
const COMPANY_SUFFIXES = ['Corp', 'Inc', 'LLC', 'GmbH', 'Ltd'];
