import type { PendoRecord } from '../../types';
import { Random } from '../random';
import type { GenerationContext } from './context';
import { DAY_MS, recordId } from './context';
import { ENTITY_INFO } from './entities';
import { envelope } from './envelope';
import { FEATURE_SUBJECTS, PAGE_SUBJECTS } from './names';
import type { LightRow } from './store';
import { emptyUser, userRecord } from './users';

const REPORT_TYPES = ['Path', 'Funnel', 'FeatureAdoption', 'DataExplorer'] as const;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Builds `definition` and `aggregation` of a report over the last 30 days of one app. */
function reportQuery(context: GenerationContext, type: string, random: Random): PendoRecord {
  const appId = random.pick(context.apps);
  const featureId = recordId(
    context,
    'features',
    random.int(0, Math.max(0, context.initialSizes.features - 1)),
  );
  const end = context.startTime - random.int(1, 60) * DAY_MS;
  const first = end - 30 * DAY_MS;
  const definition = {
    type,
    config: { maxInterval: 3600, segmentId: 'everyone', acrossApps: false, appId, featureId },
    minimum: 0,
    timeSeries: { type: 'Last 30 Days', start: isoDate(first), end: isoDate(end) },
    history: [],
  };
  const aggregation = {
    pipeline: [
      {
        source: {
          featureEvents: { appId, featureId },
          timeSeries: { period: 'dayRange', first, count: 30 },
        },
      },
      { identified: 'visitorId' },
      { group: { group: ['visitorId'], fields: [{ numEvents: { sum: 'numEvents' } }] } },
      { limit: 10000 },
    ],
    settings: { excludeList: 'apply' },
  };
  return { definition, aggregation };
}

/** Generates the report in `row`, shaped like a record of `GET /api/v1/report`. */
export function generateReport(context: GenerationContext, row: LightRow): PendoRecord {
  const random = Random.of(context.seed, 'reports', row.slot, row.version);
  const stable = Random.of(context.seed, 'reports', row.slot);
  const type = stable.pick(REPORT_TYPES);
  const subject = type === 'Path' ? stable.pick(PAGE_SUBJECTS) : stable.pick(FEATURE_SUBJECTS);
  const lastRunAt = row.lastUpdatedAt + random.int(0, 20) * DAY_MS;
  const succeeded = random.chance(0.9);
  return {
    ...envelope(context, ENTITY_INFO.reports, row),
    ownedByUser: stable.chance(0.5) ? userRecord(context, stable.int(0, 7)) : emptyUser(),
    share: '',
    target: '',
    scope: '',
    level: '',
    lastSuccessRunAt: succeeded ? lastRunAt + 14_000 : 0,
    lastSuccessRunObj: succeeded
      ? `aggregation-${row.id}-${type.toLowerCase()}-${row.id}-${lastRunAt}`
      : '',
    lastRunAt,
    type,
    name: `${type === 'Path' ? 'Leading to' : 'Adoption of'} | ${subject}`,
    shared: random.chance(0.6),
    ...reportQuery(context, type, random),
    dependentMetadata: [],
    createdByDashboardTemplate: false,
  };
}
