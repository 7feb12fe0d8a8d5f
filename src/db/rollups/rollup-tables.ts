import type { EventStream } from '../../events/streams';
import { GUIDE_DAILY, GUIDE_STEP_DAILY, POLL_DAILY } from './guide-rollups';
import type { RollupSpec } from './rollup-spec';
import { ACTIVITY_HOURLY, FEATURE_DAILY, PAGE_DAILY } from './usage-rollups';

/** Every rollup. Their tables are the only rollup table names put into SQL text. */
export const ROLLUPS: readonly RollupSpec[] = [
  GUIDE_DAILY,
  GUIDE_STEP_DAILY,
  FEATURE_DAILY,
  PAGE_DAILY,
  POLL_DAILY,
  ACTIVITY_HOURLY,
];

/** Returns the rollups summed from `stream`'s table; none for track_events. */
export function rollupsOf(stream: EventStream): RollupSpec[] {
  return ROLLUPS.filter((rollup) => rollup.stream === stream);
}
