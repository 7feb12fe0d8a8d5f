import type { PendoRecord } from '../../types';
import { Random } from '../random';
import type { GenerationContext } from './context';
import { DAY_MS } from './context';
import { ENTITY_INFO } from './entities';
import { envelope } from './envelope';
import { SEGMENT_NAMES } from './names';
import type { LightRow } from './store';

/** Returns whether segment `slot` was created through the API. Updates never change it. */
export function segmentCreatedByApi(context: GenerationContext, slot: number): boolean {
  return Random.of(context.seed, 'segments', slot, 'createdByApi').chance(0.3);
}

/** Builds the segment rule: visitors whose last visit is within `days` days, and on a plan. */
function segmentRule(days: number, plan: string): { definition: PendoRecord; pipeline: unknown[] } {
  const sinceMs = days * DAY_MS;
  return {
    definition: {
      filters: [
        {
          field: 'metadata.auto.lastvisit',
          operator: 'withinLast',
          value: { count: days, unit: 'days' },
        },
        { field: 'metadata.custom.planlevel', operator: '==', value: plan },
      ],
    },
    pipeline: [
      { source: { visitors: null } },
      { filter: `metadata.auto.lastvisit >= now() - ${sinceMs}` },
      { filter: `metadata.custom.planlevel == "${plan}"` },
      { select: { visitorId: 'visitorId' } },
    ],
  };
}

/** Generates the segment in `row`, shaped like a record of `GET /api/v1/segment`. */
export function generateSegment(context: GenerationContext, row: LightRow): PendoRecord {
  const random = Random.of(context.seed, 'segments', row.slot, row.version);
  const stable = Random.of(context.seed, 'segments', row.slot);
  const { definition, pipeline } = segmentRule(
    random.pick([7, 30, 90]),
    random.pick(['free', 'pro', 'enterprise']),
  );
  const head = envelope(context, ENTITY_INFO.segments, row, { versionIds: false });
  return {
    ...head,
    name: stable.pick(SEGMENT_NAMES),
    createdByApi: segmentCreatedByApi(context, row.slot),
    definition,
    pipeline,
    dependentMetadata: [],
    isFocusGroup: stable.chance(0.1),
  };
}
