import type { PendoRecord } from '../../types';
import { Random } from '../random';
import type { GenerationContext } from './context';
import { DAY_MS, recordId } from './context';
import { ENTITY_INFO } from './entities';
import { envelope } from './envelope';
import { guidePoll, guideStep, pollId } from './guide-steps';
import { GUIDE_PURPOSES, PRODUCT_AREAS } from './names';
import type { LightRow } from './store';

/** Guide states with their share of guides. */
const STATES: readonly [string, number][] = [
  ['public', 0.45],
  ['draft', 0.25],
  ['disabled', 0.15],
  ['staged', 0.1],
  ['_pendingReview_', 0.05],
];
const LAUNCH_METHODS = ['auto', 'auto', 'auto', 'badge', 'dom', 'api', 'launcher'];
/** Share of guides with 1, 2, … 6 steps. */
const STEP_COUNT_WEIGHTS = [0.5, 0.2, 0.12, 0.08, 0.05, 0.05];

function pickWeighted<T>(random: Random, choices: readonly [T, number][]): T {
  let roll = random.next();
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  const last = choices[choices.length - 1];
  if (!last) throw new Error('pickWeighted needs at least one choice');
  return last[0];
}

function guideAttributes(launchMethod: string, random: Random): PendoRecord {
  const attributes: PendoRecord = {
    type: 'building-block',
    device: { type: random.chance(0.85) ? 'desktop' : 'mobile' },
    sharedServiceVersion: `5.${random.int(10, 20)}.${random.int(0, 9)}`,
    priority: random.int(1, 2000),
  };
  if (launchMethod === 'badge') {
    attributes.badge = { position: 'top-right', imageUrl: '', isOnlyShowOnce: random.chance(0.5) };
  }
  if (launchMethod === 'dom')
    attributes.activation = { selector: '#help-button', event: ['click'] };
  if (random.chance(0.3))
    attributes.capping = { maxImpressions: random.int(1, 5), maxSessionImpressions: 1 };
  if (random.chance(0.2)) attributes.isAnnouncement = true;
  return attributes;
}

/** Builds the guide's audience: a visitor pipeline restricted to one segment. */
function audience(context: GenerationContext, random: Random): PendoRecord {
  const segmentCount = Math.max(1, context.initialSizes.segments);
  const segmentId = recordId(context, 'segments', random.int(0, segmentCount - 1));
  return {
    audience: [
      { source: { visitors: null } },
      { eval: { accountId: 'metadata.auto.accountids' } },
      { unwind: { field: 'accountId', keepEmpty: true } },
      { segment: { id: segmentId } },
      { select: { visitorId: 'visitorId' } },
      { identified: 'visitorId' },
    ],
    audienceUiHint: { filters: [{ kind: 'visitor', segmentId }] },
  };
}

/** Returns `publishedAt`: a time between creation and the last update for published states, else 0. */
function publishedAt(state: string, row: LightRow, random: Random): number {
  if (state !== 'public' && state !== 'disabled') return 0;
  return row.createdAt + Math.floor(random.next() * (row.lastUpdatedAt - row.createdAt));
}

/** Generates the guide in `row`, shaped like a record of `GET /api/v1/guide`. */
export function generateGuide(context: GenerationContext, row: LightRow): PendoRecord {
  const random = Random.of(context.seed, 'guides', row.slot, row.version);
  const stable = Random.of(context.seed, 'guides', row.slot);
  const state = pickWeighted(random, STATES);
  const launchMethod = stable.pick(LAUNCH_METHODS);
  const stepCount = pickWeighted(
    random,
    STEP_COUNT_WEIGHTS.map((w, i): [number, number] => [i + 1, w]),
  );
  const pollCount = stable.chance(0.2) ? stable.int(1, 2) : 0;
  const pollIds = Array.from({ length: pollCount }, (_, i) => pollId(context, row.slot, i));
  const published = publishedAt(state, row, random);
  const record: PendoRecord = {
    ...envelope(context, ENTITY_INFO.guides, row),
    name: `${stable.pick(PRODUCT_AREAS)} - ${stable.pick(GUIDE_PURPOSES)}`,
    state,
    emailState: '',
    launchMethod,
    isMultiStep: stepCount > 1,
    isTraining: stable.chance(0.05),
    steps: Array.from({ length: stepCount }, (_, i) =>
      guideStep(context, row, i, i === 0 ? pollIds : []),
    ),
    attributes: guideAttributes(launchMethod, random),
    ...audience(context, stable),
    authoredLanguage: 'en-US',
    recurrence: 0,
    recurrenceEligibilityWindow: 0,
    resetAt: 0,
    publishedAt: published,
    publishedEver: published > 0,
    currentFirstEligibleToBeSeenAt: published,
    expiresAfter: random.chance(0.2) ? context.startTime + random.int(1, 90) * DAY_MS : 0,
    isTopLevel: false,
    isModule: false,
    editorType: 'visualDesignStudio',
    dependentMetadata: [],
    autoCreateFeedback: false,
  };
  if (pollCount > 0) {
    record.polls = Array.from({ length: pollCount }, (_, i) =>
      guidePoll(context, row, i, pollCount),
    );
  }
  return record;
}
