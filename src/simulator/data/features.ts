import type { PendoRecord } from '../../types';
import { Random } from '../random';
import type { GenerationContext } from './context';
import { recordId, validThrough } from './context';
import { ENTITY_INFO } from './entities';
import { envelope } from './envelope';
import { GROUP_POOL_SIZE, groupRecord } from './groups';
import { FEATURE_CONTROLS, FEATURE_SUBJECTS, slugify } from './names';
import type { LightRow } from './store';

const ELEMENT_TAGS = ['A', 'BUTTON', 'SPAN', 'DIV', 'LI', 'INPUT'];

/** Builds CSS-like selectors for the feature's element, the first one the designer's pick. */
function elementPathRules(subject: string, random: Random): string[] {
  const slug = slugify(subject);
  const rules = [`#${slug.replace(/-/g, '')}`];
  if (random.chance(0.4)) rules.push(`button[data-action="${slug}"]`);
  if (random.chance(0.2)) rules.push(`.toolbar .${slug}:contains('${subject}')`);
  return rules;
}

/** Generates the feature in `row`, shaped like a record of `GET /api/v1/feature`. */
export function generateFeature(context: GenerationContext, row: LightRow): PendoRecord {
  const random = Random.of(context.seed, 'features', row.slot, row.version);
  const stable = Random.of(context.seed, 'features', row.slot);
  const subject = stable.pick(FEATURE_SUBJECTS);
  const rules = elementPathRules(subject, random);
  const appWide = stable.chance(0.1);
  const pageCount = Math.max(1, context.initialSizes.pages);
  return {
    ...envelope(context, ENTITY_INFO.features, row),
    name: `${subject} ${stable.pick(FEATURE_CONTROLS)}`,
    group: groupRecord(context, stable.int(0, GROUP_POOL_SIZE - 1)),
    isCoreEvent: random.chance(0.1),
    validThrough: validThrough(context),
    dirty: false,
    dailyMergeFirst: 0,
    dailyRollupFirst: 0,
    ignoredFrustrationTypes: [],
    appWide,
    createdDesignerVersion: `4.${stable.int(0, 9)}.${stable.int(0, 9)}`,
    elementInitialTag: stable.pick(ELEMENT_TAGS),
    elementPathRules: rules,
    elementSelectionType: random.chance(0.7) ? 'suggested' : 'custom',
    eventPropertyConfigurations: [],
    isSuggested: false,
    pageId: appWide ? '' : recordId(context, 'pages', stable.int(0, pageCount - 1)),
    suggestedMatch: rules[0] ?? '',
  };
}
