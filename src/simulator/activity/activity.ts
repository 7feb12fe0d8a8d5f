import type { PendoRecord } from '../../types';
import type { EvaluationEnvironment } from '../aggregation/expression';
import { parseStage, splitStages } from '../aggregation/pipeline-parse';
import type { Row } from '../aggregation/row';
import type { Stage } from '../aggregation/stages';
import type { Catalog } from '../data/catalog';
import type { SimulatedClock } from '../clock';
import type { EventSourceSpec } from './activity-source';
import { activitySourceName, parseActivitySource } from './activity-source';
import { runEventPipeline, runPersonPipeline } from './activity-run';
import type { BucketTotals, EventQuery } from './event-totals';
import { queryBuckets, queryRows, totalsOf } from './event-totals';
import type { EventReader } from './event-query';
import type { EventContext } from './events/event-context';
import type { AppPool } from './events/pools';
import { buildAppPool } from './events/pools';
import { VisitorTraitsCache } from './events/visitor-traits';
import { checkAggregationLimits } from './limits';
import type { ResolvedActivityOptions } from './options';
import { People } from './people/people';
import { visitorKind } from './people/person-ids';
import { PersonOrderCache } from './people/person-order';
import { listBuckets } from './time-series';

/** An aggregation over people or events, ready to stream. */
export interface ActivityPlan {
  source: string;
  operators: string[];
  rows: Iterable<Row>;
}

/**
 * Visitors, accounts and their events. People live in a light index like the catalog's;
 * events are never stored: each bucket's rows are generated from the seed when read.
 */
export class Activity {
  readonly people: People;
  readonly orders: PersonOrderCache;
  readonly events: EventContext;
  private readonly pools = new Map<number, AppPool>();
  /** 1 for initial visitors whose events Pendo does not process. */
  private readonly ignored: Uint8Array;

  constructor(
    private readonly catalog: Catalog,
    private readonly clock: SimulatedClock,
    readonly options: ResolvedActivityOptions,
  ) {
    const { seed, apps, startTime } = catalog.context;
    const peopleContext = { seed, apps, startTime, initialAccounts: options.accounts };
    this.people = new People(
      peopleContext,
      { visitors: options.visitors, accounts: options.accounts },
      catalog.overrides,
    );
    this.orders = new PersonOrderCache(this.people);
    this.ignored = new Uint8Array(options.visitors);
    for (let slot = 0; slot < options.visitors; slot++) {
      this.ignored[slot] = visitorKind(seed, slot) === 'doNotProcess' ? 1 : 0;
    }
    const visitorIds = this.people.stores.visitors.ids;
    const traits = new VisitorTraitsCache(peopleContext);
    this.events = {
      seed,
      apps,
      timeZone: options.timeZone,
      eventsPerDay: options.eventsPerDay,
      eventsStart: options.eventsStart,
      people: peopleContext,
      visitorCount: options.visitors,
      visitorId: (slot) => visitorIds[slot] ?? '',
      traits: (slot) => traits.of(slot),
      pool: (appIndex) => this.pool(appIndex),
    };
  }

  /** Returns the instant before which events are visible: the clock minus `eventLagMs`. */
  visibleUntil(): number {
    return this.clock.now() - this.options.eventLagMs;
  }

  /**
   * Plans an aggregation when its source is `visitors`, `accounts` or an event source;
   * returns undefined for catalog sources. Throws SimulatorHttpError for invalid requests
   * and 408 for windows over the size cap.
   */
  planAggregation(pipeline: unknown, env: EvaluationEnvironment): ActivityPlan | undefined {
    if (!Array.isArray(pipeline)) return undefined;
    const sourceValue = (pipeline[0] as { source?: unknown } | null)?.source;
    const name = activitySourceName(sourceValue);
    if (!name) return undefined;

    const [, ...rest] = splitStages(pipeline);
    const source = parseActivitySource(this.catalog, sourceValue as Record<string, unknown>, name, {
      now: env.now,
      timeZone: this.options.timeZone,
    });
    const stages = rest.map(([operator, value]) => parseStage(operator, value));
    const operators = stages.map((parsed) => parsed.operator);
    if (source.kind === 'person') {
      const rows = runPersonPipeline(this.people, this.orders, source, stages, env);
      return { source: name, operators, rows };
    }
    return { source: name, operators, rows: this.eventPipelineRows(source, stages, env) };
  }

  private eventPipelineRows(
    source: EventSourceSpec,
    stages: Stage[],
    env: EvaluationEnvironment,
  ): Iterable<Row> {
    const reader = this.reader();
    const { eventsStart, timeZone } = this.options;
    const buckets = listBuckets(source.series, eventsStart, env.now, timeZone);
    checkAggregationLimits(this.events, source, buckets, reader.visibleUntil, this.options);
    return runEventPipeline(reader, source, buckets, stages, env);
  }

  /** Yields the exact rows of an event query, bypassing the aggregation engine. */
  eventRows(query: EventQuery): Generator<PendoRecord> {
    const buckets = queryBuckets(query, this.options.timeZone);
    return queryRows(this.reader(), this.querySource(query), buckets);
  }

  /** Sums the rows of an event query per bucket, bypassing the aggregation engine. */
  eventTotals(query: EventQuery): BucketTotals[] {
    const buckets = queryBuckets(query, this.options.timeZone);
    return totalsOf(this.reader(), this.querySource(query), buckets);
  }

  private reader(): EventReader {
    return {
      context: this.events,
      visibleUntil: this.visibleUntil(),
      isIgnored: (slot) => this.ignored[slot] === 1,
    };
  }

  private querySource(query: EventQuery): EventSourceSpec {
    const apps = this.catalog.context.apps;
    const appIndexes = query.appIds
      ? query.appIds.map((appId) => apps.indexOf(appId)).filter((index) => index >= 0)
      : apps.map((_, index) => index);
    return {
      kind: 'event',
      name: query.source,
      appIndexes,
      narrow: undefined,
      series: { period: query.period, start: query.from, end: query.to },
    };
  }

  private pool(appIndex: number): AppPool {
    let pool = this.pools.get(appIndex);
    if (!pool) {
      pool = buildAppPool(this.catalog, appIndex);
      this.pools.set(appIndex, pool);
    }
    return pool;
  }
}
