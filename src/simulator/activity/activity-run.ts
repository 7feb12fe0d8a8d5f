import type { SortKey } from '../aggregation/compare';
import type { EvaluationEnvironment } from '../aggregation/expression';
import { filterRows, sortRows } from '../aggregation/operators';
import type { Row } from '../aggregation/row';
import { applyStage } from '../aggregation/run';
import type { Stage } from '../aggregation/stages';
import type { PersonSource, EventSourceSpec } from './activity-source';
import type { Bucket } from './events/event-context';
import { STREAMS } from './events/streams';
import type { EventReader } from './event-query';
import { sourceBucketRows, sourceRows } from './event-query';
import type { People } from './people/people';
import { ANONYMOUS_PREFIX } from './people/person-ids';
import type { PersonOrderCache } from './people/person-order';
import { PersonRow } from './people/person-row';

/** Splits stages into the leading filters, the sort right after them (if any) and the rest. */
function splitLeadingSort(stages: Stage[]): {
  filters: Stage[];
  sort: SortKey[] | undefined;
  rest: Stage[];
} {
  const index = stages.findIndex((stage) => stage.operator !== 'filter');
  const stage = index >= 0 ? stages[index] : undefined;
  if (stage?.operator !== 'sort') return { filters: [], sort: undefined, rest: stages };
  return { filters: stages.slice(0, index), sort: stage.keys, rest: stages.slice(index + 1) };
}

function applyStages(
  rows: Iterable<Row>,
  stages: Stage[],
  env: EvaluationEnvironment,
): Iterable<Row> {
  let result = rows;
  for (const stage of stages) result = applyStage(result, stage, env);
  return result;
}

function* personRows(
  people: People,
  source: PersonSource,
  order: Uint32Array | undefined,
): Generator<Row> {
  const store = people.stores[source.entity];
  const size = order ? order.length : store.size;
  for (let i = 0; i < size; i++) {
    const slot = order ? (order[i] ?? 0) : i;
    if (!store.isLive(slot)) continue;
    if (source.identified !== undefined) {
      const anonymous = (store.ids[slot] ?? '').startsWith(ANONYMOUS_PREFIX);
      if (anonymous === source.identified) continue;
    }
    yield new PersonRow(people, source.entity, slot);
  }
}

/**
 * Runs a pipeline over visitors or accounts. When filters are followed by a sort, the rows
 * are walked in a cached sorted order and the sort is dropped, as for the catalog.
 */
export function runPersonPipeline(
  people: People,
  orders: PersonOrderCache,
  source: PersonSource,
  stages: Stage[],
  env: EvaluationEnvironment,
): Iterable<Row> {
  const { filters, sort, rest } = splitLeadingSort(stages);
  if (!sort) return applyStages(personRows(people, source, undefined), stages, env);
  const order = orders.order(source.entity, sort);
  return applyStages(personRows(people, source, order), [...filters, ...rest], env);
}

/** Fields whose values lie inside the row's bucket, so buckets in order are sorted on them. */
function bucketOrderedFields(source: EventSourceSpec): Set<string> {
  if (STREAMS[source.name].kind === 'interaction') {
    // NOTE: guideTimestamp stays in the hour of browserTime, which is inside the local day
    // only for zones whose offset is a whole number of hours.
    return new Set(['browserTime', 'guideTimestamp']);
  }
  return new Set([source.series.period, 'firstTime', 'lastTime']);
}

/** Yields each bucket's rows filtered and then sorted on their own, bucket after bucket. */
function* sortedByBucket(
  reader: EventReader,
  source: EventSourceSpec,
  buckets: readonly Bucket[],
  filters: Stage[],
  keys: SortKey[],
  env: EvaluationEnvironment,
): Generator<Row> {
  const onlyBucketKey = keys.every((key) => key.path === source.series.period && !key.descending);
  for (const bucket of buckets) {
    let rows: Iterable<Row> = sourceBucketRows(reader, source, bucket);
    for (const stage of filters) {
      if (stage.operator === 'filter') rows = filterRows(rows, stage.test, env);
    }
    yield* onlyBucketKey ? rows : sortRows(rows, keys);
  }
}

/**
 * Runs a pipeline over an event source. A sort whose first key is ascending and lies within
 * the bucket (day, hour, firstTime, lastTime, browserTime, …) is done one bucket at a time,
 * so memory contains one bucket's rows, not the window's. A sort on the bucket key alone
 * costs nothing, because buckets are generated in order. Other sorts keep every row in memory.
 */
export function runEventPipeline(
  reader: EventReader,
  source: EventSourceSpec,
  buckets: readonly Bucket[],
  stages: Stage[],
  env: EvaluationEnvironment,
): Iterable<Row> {
  const { filters, sort, rest } = splitLeadingSort(stages);
  const first = sort?.[0];
  if (sort && first && !first.descending && bucketOrderedFields(source).has(first.path)) {
    return applyStages(sortedByBucket(reader, source, buckets, filters, sort, env), rest, env);
  }
  return applyStages(sourceRows(reader, source, buckets), stages, env);
}
