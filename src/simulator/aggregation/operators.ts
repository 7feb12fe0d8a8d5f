import type { PendoRecord } from '../../types';
import type { SortKey } from './compare';
import { compareValues } from './compare';
import type { EvaluationEnvironment, Evaluator } from './expression';
import { isTruthy } from './expression';
import type { Row } from './row';
import { readField, toRecord } from './row';
import type { Aggregate } from './stages';

/** Visitor ids of anonymous visitors start with this prefix. */
const ANONYMOUS_PREFIX = '_PENDO_T_';

export function* filterRows(rows: Iterable<Row>, test: Evaluator, env: EvaluationEnvironment) {
  for (const row of rows) if (isTruthy(test(row, env))) yield row;
}

/** Stable sort: materializes the input, so it runs only where the cached orders cannot serve. */
export function* sortRows(rows: Iterable<Row>, keys: SortKey[]): Generator<Row> {
  const decorated = Array.from(rows, (row, index) => ({
    row,
    index,
    values: keys.map((key) => readField(row, key.path)),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const difference = compareValues(a.values[i], b.values[i]);
      if (difference !== 0) return keys[i]?.descending ? -difference : difference;
    }
    return a.index - b.index;
  });
  for (const item of decorated) yield item.row;
}

export function* limitRows(rows: Iterable<Row>, count: number): Generator<Row> {
  if (count === 0) return;
  let emitted = 0;
  for (const row of rows) {
    yield row;
    if (++emitted >= count) return;
  }
}

export function* skipRows(rows: Iterable<Row>, count: number): Generator<Row> {
  let skipped = 0;
  for (const row of rows) {
    if (skipped < count) skipped++;
    else yield row;
  }
}

export function* selectRows(
  rows: Iterable<Row>,
  fields: [string, Evaluator][],
  env: EvaluationEnvironment,
  keepOthers: boolean,
): Generator<Row> {
  for (const row of rows) {
    const out: PendoRecord = keepOthers ? { ...toRecord(row) } : {};
    for (const [name, evaluate] of fields) out[name] = evaluate(row, env);
    yield out;
  }
}

export function* countRows(rows: Iterable<Row>): Generator<Row> {
  let count = 0;
  for (const _row of rows) count++;
  yield { count };
}

export function* identifiedRows(rows: Iterable<Row>, field: string, negate: boolean) {
  for (const row of rows) {
    const value = readField(row, field);
    const identified =
      typeof value === 'string' && value !== '' && !value.startsWith(ANONYMOUS_PREFIX);
    if (identified !== negate) yield row;
  }
}

export function* unwindRows(rows: Iterable<Row>, field: string, keepEmpty: boolean) {
  for (const row of rows) {
    const value = readField(row, field);
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    if (items.length === 0 && keepEmpty) yield { ...toRecord(row), [field]: null };
    for (const item of items) yield { ...toRecord(row), [field]: item };
  }
}

/** Computes one aggregate over the rows of a group. */
function accumulate(aggregate: Aggregate, rows: Row[]): unknown {
  const values = rows.map((row) => (aggregate.path === null ? 1 : readField(row, aggregate.path)));
  const present = values.filter((value) => value !== null && value !== undefined);
  switch (aggregate.operation) {
    case 'count':
      // NOTE: Pendo's count of a path is taken here as the number of distinct non-null values.
      return aggregate.path === null
        ? rows.length
        : new Set(present.map((v) => JSON.stringify(v))).size;
    case 'sum':
      return present.reduce<number>(
        (sum, value) => sum + (typeof value === 'number' ? value : 0),
        0,
      );
    case 'min':
      return present.reduce(
        (min, value) => (compareValues(value, min) < 0 ? value : min),
        present[0] ?? null,
      );
    case 'max':
      return present.reduce(
        (max, value) => (compareValues(value, max) > 0 ? value : max),
        present[0] ?? null,
      );
    case 'first':
      return values[0] ?? null;
    case 'last':
      return values[values.length - 1] ?? null;
  }
}

export function* groupRows(rows: Iterable<Row>, keys: string[], aggregates: Aggregate[]) {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const groupKey = JSON.stringify(keys.map((key) => readField(row, key) ?? null));
    const members = groups.get(groupKey);
    if (members) members.push(row);
    else groups.set(groupKey, [row]);
  }
  for (const members of groups.values()) {
    const first = members[0];
    const out: PendoRecord = {};
    for (const key of keys) out[key] = first ? (readField(first, key) ?? null) : null;
    for (const aggregate of aggregates) out[aggregate.output] = accumulate(aggregate, members);
    yield out;
  }
}

export function* reduceRows(rows: Iterable<Row>, aggregates: Aggregate[]): Generator<Row> {
  const all = Array.from(rows);
  const out: PendoRecord = {};
  for (const aggregate of aggregates) out[aggregate.output] = accumulate(aggregate, all);
  yield out;
}
