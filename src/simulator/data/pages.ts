import type { PendoRecord } from '../../types';
import { Random } from '../random';
import type { GenerationContext } from './context';
import { validThrough } from './context';
import { ENTITY_INFO } from './entities';
import { envelope } from './envelope';
import { GROUP_POOL_SIZE, groupRecord } from './groups';
import { PAGE_SUBJECTS, PRODUCT_AREAS } from './names';
import type { LightRow } from './store';
import { APP_HOST, pagePath, parseUrlRule } from './url-rules';

const QUERY_PARAMETERS = ['tab', 'view', 'page', 'id', 'mode'];

/** Builds the `rules` of a page: its own path first, then variants with a query or wildcard. */
function pageRules(context: GenerationContext, row: LightRow, random: Random): PendoRecord[] {
  const path = pagePath(context, row.slot);
  const rules: PendoRecord[] = [];
  const count = random.int(1, 4);
  for (let i = 0; i < count; i++) {
    let rule = `//*${path}`;
    if (i === 1) rule = `//*${path}/*`;
    if (i >= 2)
      rule = `//*${path}?${random.pick(QUERY_PARAMETERS)};${random.pick(QUERY_PARAMETERS)}`;
    const entry: PendoRecord = { rule };
    if (random.chance(0.6)) entry.designerHint = `https://${APP_HOST}${path}`;
    entry.parsedRule = parseUrlRule(rule);
    rules.push(entry);
  }
  return rules;
}

/** Generates the page in `row`, shaped like a record of `GET /api/v1/page`. */
export function generatePage(context: GenerationContext, row: LightRow): PendoRecord {
  const random = Random.of(context.seed, 'pages', row.slot, row.version);
  const stable = Random.of(context.seed, 'pages', row.slot);
  const name = `${stable.pick(PRODUCT_AREAS)} - ${stable.pick(PAGE_SUBJECTS)}`;
  return {
    ...envelope(context, ENTITY_INFO.pages, row),
    name: row.version > 1 && random.chance(0.3) ? `${name} (v${row.version})` : name,
    group: groupRecord(context, stable.int(0, GROUP_POOL_SIZE - 1)),
    isCoreEvent: random.chance(0.1),
    validThrough: validThrough(context),
    dirty: false,
    dailyMergeFirst: 0,
    dailyRollupFirst: 0,
    ignoredFrustrationTypes: random.chance(0.1) ? ['RageClick'] : [],
    rules: pageRules(context, row, random),
    rulesjson: '',
    isSuggested: false,
    suggestedName: random.chance(0.5) ? name.split(' - ')[0] : '',
  };
}
