import type { PendoRecord } from '../../types';
import { Random, pendoId } from '../random';
import type { GenerationContext } from './context';
import { recordId } from './context';
import type { LightRow } from './store';
import { APP_HOST, pagePath, parseUrlRule } from './url-rules';

const TEMPLATES = ['building-block-guide', 'building-block-tooltip', 'building-block-lightbox'];
const ADVANCE_METHODS = ['button', 'element', 'programmatic'];
const POLL_QUESTIONS = [
  'How likely are you to recommend us to a colleague?',
  'What could we do better?',
  'Was this release note helpful?',
  'How easy was it to complete this task?',
];
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Builds the three content URLs of a step in the subscription's static storage bucket. */
function contentUrls(base: string, random: Random): PendoRecord {
  const name = (): string => random.chars(URL_SAFE, 27);
  const sha = (): string => random.chars(URL_SAFE, 43);
  return {
    buildingBlocksUrl: `${base}/${name()}.buildingBlocks.json`,
    domUrl: `${base}/${name()}.dom.json?sha256=${sha()}`,
    domJsonpUrl: `${base}/${name()}.dom.jsonp?sha256=${sha()}`,
  };
}

function stepAttributes(random: Random): PendoRecord {
  return {
    css: '',
    themeId: random.chars(URL_SAFE, 27),
    isAutoFocus: random.chance(0.8),
    darkMode: { selector: '' },
    blockOutUI: {
      additionalElements: '',
      enabled: random.chance(0.1),
      padding: { bottom: 0, left: 0, right: 0, top: 0 },
    },
  };
}

/** Generates step `index` of the guide in `row`; `pollIds` lists the polls the step shows. */
export function guideStep(
  context: GenerationContext,
  row: LightRow,
  index: number,
  pollIds: string[],
): PendoRecord {
  const random = Random.of(context.seed, 'guides', row.slot, row.version, 'step', index);
  const stepId = pendoId(context.seed, 'guideStep', row.slot, index);
  const pageSlot = random.int(0, Math.max(0, context.initialSizes.pages - 1));
  const path = pagePath(context, pageSlot);
  const template = random.pick(TEMPLATES);
  const base = `https://pendo-static-${context.subscriptionId}.storage.googleapis.com/guide-content/${row.id}/${stepId}`;
  return {
    id: stepId,
    guideId: row.id,
    templateId: template,
    type: 'building-block',
    pageId: recordId(context, 'pages', pageSlot),
    regexUrlRule: parseUrlRule(`//*${path}`),
    elementPathRule: template === 'building-block-tooltip' ? `#${path.split('/').pop()}` : '',
    triggerElementPathRule: '',
    confirmationElementPathRule: '',
    contentType: 'text/html; charset=utf-8',
    ...contentUrls(base, random),
    rank: 5_000_000 * (index + 1),
    advanceMethod: random.pick(ADVANCE_METHODS),
    attributes: stepAttributes(random),
    lastUpdatedAt: row.lastUpdatedAt - random.int(0, 600_000),
    resetAt: 0,
    launchUrl: `https://${APP_HOST}${path}`,
    name: '',
    pollIds,
  };
}

/** Returns the id of poll `index` of the guide in `slot`. */
export function pollId(context: GenerationContext, slot: number, index: number): string {
  return pendoId(context.seed, 'guidePoll', slot, index);
}

/**
 * Generates poll `index` of a guide with `pollCount` polls. The first is numeric (NPS
 * style) and follows up with the second when there is one; later polls are free text.
 */
export function guidePoll(
  context: GenerationContext,
  row: LightRow,
  index: number,
  pollCount: number,
): PendoRecord {
  const random = Random.of(context.seed, 'guides', row.slot, row.version, 'poll', index);
  const numeric = index === 0;
  return {
    id: pollId(context, row.slot, index),
    question: numeric ? POLL_QUESTIONS[0] : random.pick(POLL_QUESTIONS.slice(1)),
    attributes: {
      type: numeric ? 'NPSRating' : 'FreeForm',
      display: numeric ? 'horizontal' : 'text',
      followUp: numeric && pollCount > 1 ? pollId(context, row.slot, 1) : '',
      leftLabel: numeric ? 'Not likely' : '',
      rightLabel: numeric ? 'Very likely' : '',
    },
    numericResponses: numeric ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] : [],
    idResponses: {},
    resetAt: 0,
  };
}
