import type { PendoRecord } from '../../types';
import { Random } from '../random';
import type { GenerationContext } from './context';
import { ENTITY_INFO } from './entities';
import { envelope } from './envelope';
import { GROUP_POOL_SIZE, groupRecord } from './groups';
import { TRACK_EVENTS } from './names';
import type { LightRow } from './store';

/** Generates the track type in `row`, shaped like a record of `GET /api/v1/tracktype`. */
export function generateTrackType(context: GenerationContext, row: LightRow): PendoRecord {
  const random = Random.of(context.seed, 'track_types', row.slot, row.version);
  const stable = Random.of(context.seed, 'track_types', row.slot);
  const eventName = stable.pick(TRACK_EVENTS);
  const trackTypeName = row.slot < TRACK_EVENTS.length ? eventName : `${eventName} ${row.slot}`;
  return {
    ...envelope(context, ENTITY_INFO.track_types, row),
    name: trackTypeName,
    color: `.groupColor${String(random.int(1, 20)).padStart(2, '0')}`,
    group: groupRecord(context, stable.int(0, GROUP_POOL_SIZE - 1)),
    dirty: false,
    trackTypeName,
    trackTypeRules: [trackTypeName],
  };
}
