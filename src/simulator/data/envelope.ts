import type { PendoRecord } from '../../types';
import { Random } from '../random';
import type { GenerationContext } from './context';
import type { EntityInfo } from './entities';
import type { LightRow } from './store';
import { NO_APP } from './store';
import { USER_POOL_SIZE, userRecord } from './users';

/**
 * Formats `stableVersionId`: the root id, a dash, the UTC time of the version as
 * `YYYYMMDDhhmmss` and nine digits of fraction (Pendo's versions carry nanoseconds).
 */
export function stableVersionId(rootId: string, timeMs: number, random: Random): string {
  const date = new Date(timeMs);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  const stamp =
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds());
  const fraction = pad(date.getUTCMilliseconds(), 3) + pad(random.int(0, 999_999), 6);
  return `${rootId}-${stamp}.${fraction}`;
}

/** Returns the app id of a light row, or undefined for subscription-level records. */
export function appIdOf(context: GenerationContext, row: LightRow): number | undefined {
  return row.appIndex === NO_APP ? undefined : context.apps[row.appIndex];
}

/**
 * Builds the fields every catalog record starts with: users, times, kind, version ids and
 * the app. The creator depends only on the slot; the last editor changes with the version.
 */
export function envelope(
  context: GenerationContext,
  info: EntityInfo,
  row: LightRow,
  options: { versionIds?: boolean } = {},
): PendoRecord {
  const stable = Random.of(context.seed, info.entity, row.slot, 'envelope');
  const versioned = Random.of(context.seed, info.entity, row.slot, row.version, 'envelope');
  const creator = stable.int(0, USER_POOL_SIZE - 1);
  const editor = row.version === 1 ? creator : versioned.int(0, USER_POOL_SIZE - 1);
  const record: PendoRecord = {
    createdByUser: userRecord(context, creator),
    createdAt: row.createdAt,
    lastUpdatedByUser: userRecord(context, editor),
    lastUpdatedAt: row.lastUpdatedAt,
    kind: info.kind,
  };
  if (options.versionIds !== false) {
    record.rootVersionId = row.id;
    record.stableVersionId = stableVersionId(row.id, row.lastUpdatedAt, versioned);
  }
  const appId = appIdOf(context, row);
  if (appId !== undefined) {
    record.appId = appId;
    record.appIds = [appId];
  }
  record.id = row.id;
  return record;
}
