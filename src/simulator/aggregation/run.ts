import type { Catalog } from '../data/catalog';
import { NO_APP } from '../data/store';
import type { EvaluationEnvironment } from './expression';
import * as operators from './operators';
import type { ParsedPipeline } from './pipeline-parse';
import type { Row } from './row';
import { LazyRecord } from './row';
import type { SortedOrderCache } from './sorted-order';
import type { SourceSpec } from './source';
import type { Stage } from './stages';

/** Yields the source's live records in `order` (slot order when absent), as lazy rows. */
function* sourceRows(catalog: Catalog, source: SourceSpec, order?: Uint32Array): Generator<Row> {
  const store = catalog.stores[source.entity];
  const apps = source.apps === 'all' ? undefined : new Set(source.apps);
  const size = order ? order.length : store.size;
  for (let i = 0; i < size; i++) {
    const slot = order ? (order[i] ?? 0) : i;
    if (store.deleted[slot] !== 0) continue;
    const appIndex = store.appIndex[slot] ?? NO_APP;
    if (apps && appIndex !== NO_APP && !apps.has(appIndex)) continue;
    yield new LazyRecord(catalog, source.entity, slot);
  }
}

/** Applies one stage lazily to a stream of rows. */
export function applyStage(
  rows: Iterable<Row>,
  stage: Stage,
  env: EvaluationEnvironment,
): Iterable<Row> {
  switch (stage.operator) {
    case 'filter':
      return operators.filterRows(rows, stage.test, env);
    case 'sort':
      return operators.sortRows(rows, stage.keys);
    case 'limit':
      return operators.limitRows(rows, stage.count);
    case 'skip':
      return operators.skipRows(rows, stage.count);
    case 'select':
      return operators.selectRows(rows, stage.fields, env, false);
    case 'eval':
      return operators.selectRows(rows, stage.fields, env, true);
    case 'count':
      return operators.countRows(rows);
    case 'identified':
      return operators.identifiedRows(rows, stage.field, stage.negate);
    case 'unwind':
      return operators.unwindRows(rows, stage.field, stage.keepEmpty);
    case 'group':
      return operators.groupRows(rows, stage.keys, stage.aggregates);
    case 'reduce':
      return operators.reduceRows(rows, stage.aggregates);
  }
}

/**
 * Runs a pipeline lazily: rows are pulled one at a time, so `limit` stops the work early.
 * When the first stages are filters followed by a sort, the source is walked in a cached
 * sorted order and the sort stage is dropped: for a stable sort, filtering then sorting
 * equals sorting then filtering.
 */
export function runPipeline(
  catalog: Catalog,
  orders: SortedOrderCache,
  pipeline: ParsedPipeline,
  env: EvaluationEnvironment,
): Iterable<Row> {
  const { stages } = pipeline;
  const sortIndex = stages.findIndex((stage) => stage.operator !== 'filter');
  const sortStage = sortIndex >= 0 ? stages[sortIndex] : undefined;
  let rows: Iterable<Row>;
  let remaining = stages;
  if (sortStage?.operator === 'sort') {
    const order = orders.order(pipeline.source.entity, sortStage.keys);
    rows = sourceRows(catalog, pipeline.source, order);
    remaining = stages.filter((_, index) => index !== sortIndex);
  } else {
    rows = sourceRows(catalog, pipeline.source);
  }
  for (const stage of remaining) rows = applyStage(rows, stage, env);
  return rows;
}
