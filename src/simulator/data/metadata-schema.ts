import type { PendoRecord } from '../../types';
import { Random } from '../random';
import type { GenerationContext } from './context';

/** Field types Pendo reports in `Type`; an empty string appears for untyped custom fields. */
type FieldType = 'string' | 'time' | 'boolean' | 'integer' | 'float' | '';

type FieldList = readonly [name: string, type: FieldType, displayName: string][];

const AUTO_FIELDS: FieldList = [
  ['firstvisit', 'time', 'First Visit'],
  ['lastvisit', 'time', 'Last Visit'],
  ['lastupdated', 'time', 'Last Updated'],
  ['id', 'string', 'ID'],
  ['idhash', 'integer', 'ID Hash'],
  ['lastbrowsername', 'string', 'Last Browser Name'],
];
const VISITOR_AGENT: FieldList = [
  ['email', 'string', 'Email'],
  ['language', 'string', 'Language'],
  ['ipaddress', 'string', 'IP Address'],
];
const ACCOUNT_AGENT: FieldList = [
  ['name', 'string', 'Name'],
  ['is_paying', 'boolean', 'Is Paying'],
];
const CUSTOM_FIELDS: FieldList = [
  ['planlevel', 'string', 'Plan Level'],
  ['seats', 'integer', 'Seats'],
  ['mrr', 'float', 'MRR'],
  ['renewaldate', 'time', 'Renewal Date'],
  ['legacyflag', '', 'legacyflag'],
];
const PENDO_FIELDS: FieldList = [
  ['donotprocess', 'boolean', 'Do Not Process'],
  ['blacklistguides', 'boolean', 'Exclude from Guides'],
];

function sampleValue(type: FieldType, random: Random, context: GenerationContext): unknown {
  if (type === 'time') return context.startTime - random.int(1, 10_000_000_000);
  if (type === 'integer') return random.int(0, 5000);
  if (type === 'float') return random.int(0, 100_000) / 100;
  if (type === 'boolean') return random.chance(0.5);
  return `sample-${random.int(1, 999)}`;
}

function fieldGroup(fields: FieldList, random: Random, context: GenerationContext): PendoRecord {
  const group: PendoRecord = {};
  for (const [name, type, displayName] of fields) {
    group[name] = {
      Type: type,
      DisplayName: displayName,
      ElementType: '',
      ElementFormat: type === 'time' ? 'millisecond' : '',
      Dirty: false,
      isHidden: false,
      isDeleted: false,
      isCalculated: false,
      isPerApp: false,
      isPromoted: random.chance(0.2),
      neverIndex: false,
      sample: sampleValue(type, random, context),
    };
  }
  return group;
}

/** Builds the reply of `GET /api/v1/metadata/schema/{visitor,account}`: groups, then fields. */
export function metadataSchema(
  context: GenerationContext,
  kind: 'visitor' | 'account',
): PendoRecord {
  const random = Random.of(context.seed, 'metadataSchema', kind);
  return {
    auto: fieldGroup(AUTO_FIELDS, random, context),
    agent: fieldGroup(kind === 'visitor' ? VISITOR_AGENT : ACCOUNT_AGENT, random, context),
    custom: fieldGroup(CUSTOM_FIELDS, random, context),
    pendo: fieldGroup(PENDO_FIELDS, random, context),
  };
}
