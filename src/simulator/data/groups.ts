import type { PendoRecord } from '../../types';
import { Random, pendoId } from '../random';
import type { GenerationContext } from './context';
import { DAY_MS } from './context';
import { memoize } from './memo';
import { GROUP_NAMES } from './names';
import { USER_POOL_SIZE, userRecord } from './users';

/** Number of product-area groups that pages, features and track types share. */
export const GROUP_POOL_SIZE = GROUP_NAMES.length;

/** Returns group number `index`, as nested in page, feature and track-type records. */
export function groupRecord(context: GenerationContext, index: number): PendoRecord {
  const position = index % GROUP_POOL_SIZE;
  return memoize(context, `group:${position}`, () => buildGroup(context, position));
}

function buildGroup(context: GenerationContext, position: number): PendoRecord {
  const random = Random.of(context.seed, 'group', position);
  const createdAt = context.startTime - random.int(400, 1500) * DAY_MS + random.int(0, DAY_MS);
  return {
    id: pendoId(context.seed, 'group', position),
    name: GROUP_NAMES[position] ?? 'Uncategorized',
    description: '',
    color: `.groupColor${String(random.int(1, 20)).padStart(2, '0')}`,
    length: random.int(3, 450),
    items: [],
    type: 'group',
    createdByUser: userRecord(context, random.int(0, USER_POOL_SIZE - 1)),
    createdAt,
    lastUpdatedByUser: userRecord(context, random.int(0, USER_POOL_SIZE - 1)),
    lastUpdatedAt: createdAt + random.int(1, 300) * DAY_MS,
  };
}
