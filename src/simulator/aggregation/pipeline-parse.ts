import type { Catalog } from '../data/catalog';
import { SimulatorHttpError } from '../errors';
import { parseSortKey } from './compare';
import type { Evaluator } from './expression';
import { compile } from './expression';
import { ExpressionSyntaxError } from './filter-lexer';
import type { SourceSpec } from './source';
import { parseSource } from './source';
import type { Aggregate, Stage } from './stages';

/** Body Pendo returns, as plain text with status 400, for any filter that does not parse. */
export const FILTER_PARSE_ERROR = 'Cannot parse filter expression';

export interface ParsedPipeline {
  source: SourceSpec;
  stages: Stage[];
}

function invalid(message: string): SimulatorHttpError {
  return new SimulatorHttpError(422, message);
}

/** Compiles an expression; a syntax error becomes Pendo's 400 reply. */
function compileOrReject(text: unknown, operator: string): Evaluator {
  if (typeof text !== 'string') throw invalid(`${operator} expression must be a string`);
  try {
    return compile(text);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) {
      throw new SimulatorHttpError(400, FILTER_PARSE_ERROR);
    }
    throw error;
  }
}

function nonNegativeInteger(value: unknown, operator: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalid(`${operator} must be a non-negative integer`);
  }
  return value;
}

function expressionFields(value: unknown, operator: string): [string, Evaluator][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${operator} must be an object of output field to expression`);
  }
  return Object.entries(value).map(([output, text]) => [output, compileOrReject(text, operator)]);
}

function sortKeys(value: unknown): Stage {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('sort must be a non-empty array of field paths');
  }
  const keys = value.map((key: unknown) => {
    if (typeof key !== 'string' || key.replace(/^-/, '') === '') {
      throw invalid('sort keys must be field paths, optionally prefixed with "-"');
    }
    return parseSortKey(key);
  });
  return { operator: 'sort', keys };
}

const AGGREGATE_OPERATIONS = new Set(['count', 'sum', 'min', 'max', 'first', 'last']);

function objectEntries(value: unknown): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>);
}

/** Reads aggregates given as an object or as a list of one-entry objects. */
function aggregates(value: unknown, operator: string): Aggregate[] {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const entries = items.flatMap((item) => objectEntries(item));
  return entries.map(([output, spec]) => {
    const pairs = objectEntries(spec);
    const [operation, path] = pairs[0] ?? [];
    if (pairs.length !== 1 || !operation || !AGGREGATE_OPERATIONS.has(operation)) {
      throw invalid(`${operator}.${output} must be one of {count|sum|min|max|first|last: path}`);
    }
    if (path !== null && typeof path !== 'string')
      throw invalid(`${operator}.${output} path must be a string`);
    return { output, operation, path } as Aggregate;
  });
}

function groupStage(value: unknown): Stage {
  const spec = (value ?? {}) as { group?: unknown; fields?: unknown };
  if (!Array.isArray(spec.group) || !spec.group.every((key) => typeof key === 'string')) {
    throw invalid('group.group must be an array of field paths');
  }
  return {
    operator: 'group',
    keys: spec.group,
    aggregates: aggregates(spec.fields, 'group'),
  };
}

function unwindStage(value: unknown): Stage {
  const spec = (value ?? {}) as { field?: unknown; keepEmpty?: unknown };
  if (typeof spec.field !== 'string') throw invalid('unwind.field must be a field path');
  return { operator: 'unwind', field: spec.field, keepEmpty: spec.keepEmpty === true };
}

function identifiedStage(value: unknown): Stage {
  if (typeof value !== 'string' || value.replace(/^!/, '') === '') {
    throw invalid('identified must be a field path, optionally prefixed with "!"');
  }
  const negate = value.startsWith('!');
  return { operator: 'identified', field: negate ? value.slice(1) : value, negate };
}

/** Validates one stage after the source. */
export function parseStage(operator: string, value: unknown): Stage {
  switch (operator) {
    case 'filter':
      return { operator, test: compileOrReject(value, 'filter') };
    case 'sort':
      return sortKeys(value);
    case 'limit':
    case 'skip':
      return { operator, count: nonNegativeInteger(value, operator) };
    case 'select':
    case 'eval':
      return { operator, fields: expressionFields(value, operator) };
    case 'count':
      return { operator };
    case 'identified':
      return identifiedStage(value);
    case 'unwind':
      return unwindStage(value);
    case 'group':
      return groupStage(value);
    case 'reduce':
      return { operator, aggregates: aggregates(value, 'reduce') };
    case 'source':
      throw invalid('source is allowed only as the first stage');
    default:
      throw invalid(`unknown pipeline operator "${operator}"`);
  }
}

/**
 * Checks that a pipeline is a non-empty array of one-operator objects and returns each
 * stage's operator and value. A first stage with `source` may carry other keys, which are ignored.
 */
export function splitStages(pipeline: unknown): (readonly [string, unknown])[] {
  if (!Array.isArray(pipeline) || pipeline.length === 0) {
    throw invalid('request.pipeline must be a non-empty array');
  }
  return pipeline.map((stage: unknown, index) => {
    if (typeof stage !== 'object' || stage === null || Array.isArray(stage)) {
      throw invalid(`pipeline stage ${index} must be an object`);
    }
    const keys = Object.keys(stage);
    const isSource = index === 0 && 'source' in stage;
    if (keys.length !== 1 && !isSource) {
      throw invalid(`pipeline stage ${index} must have exactly one operator`);
    }
    const operator = isSource ? 'source' : (keys[0] ?? '');
    return [operator, (stage as Record<string, unknown>)[operator]] as const;
  });
}

/** Validates a pipeline; throws SimulatorHttpError with status 400 or 422. */
export function parsePipeline(catalog: Catalog, pipeline: unknown): ParsedPipeline {
  const [first, ...rest] = splitStages(pipeline);
  if (!first || first[0] !== 'source') throw invalid('pipeline must start with a source stage');
  return {
    source: parseSource(catalog, first[1]),
    stages: rest.map(([operator, value]) => parseStage(operator, value)),
  };
}
