/**
 * The Pendo API simulator: a local HTTP server with a seeded, deterministic Pendo catalog
 * (guides, features, pages, track types, reports, segments), visitors, accounts and their
 * events. It serves the list, metadata, visitor, account and aggregation endpoints of
 * Pendo's v1 API. Tests use it to change the data, inject
 * faults and read the expected records.
 */
import type { AddressInfo } from 'node:net';
import type { PendoRecord } from '../types';
import type { SimulatedClock } from './clock';
import type { MutationRequest, MutationSummary } from './data/mutations';
import type { PutRecordResult } from './data/put-record';
import type { FaultSpec } from './http/faults';
import type { RequestLogEntry } from './http/request-log';
import { createSimulatorServer } from './http/server';
import type { SimulatorOptions } from './options';
import { resolveOptions } from './options';
import type { AppSelection, SimulatorCounts } from './state';
import type { BucketTotals, EventQuery } from './activity/event-totals';
import { SimulatorState, requireEntity } from './state';
import { resolvePersonEntity } from './activity/people/person-kinds';

export type { SimulatorOptions } from './options';
export type { MutationRequest, MutationSummary, EntityChanges } from './data/mutations';
export type { PutRecordResult } from './data/put-record';
export type { FaultSpec } from './http/faults';
export type { RequestLogEntry } from './http/request-log';
export type { AppSelection, SimulatorCounts, EntityCount } from './state';
export type { Region } from './http/auth';
export { REGION_HOSTS } from './http/auth';
export { DEFAULT_START_TIME } from './options';
export { FILTER_PARSE_ERROR } from './aggregation/pipeline-parse';
export type { ActivityOptions, AggregationLimits } from './activity/options';
export type { BucketTotals, EventQuery } from './activity/event-totals';
export type { EventSource } from './activity/events/streams';
export { EVENT_SOURCES } from './activity/events/streams';
export { TIMEOUT_TEXT } from './activity/limits';

/** A running simulator. Entity names may be catalog names (`track_types`) or API paths (`tracktype`). */
export interface Simulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`; the API is under `/api/v1`. */
  readonly url: string;
  readonly port: number;
  /** The first accepted integration key. */
  readonly apiKey: string;
  readonly apiKeys: readonly string[];
  /** App ids of the subscription; the first is the default app, -323232. */
  readonly apps: readonly number[];
  readonly clock: SimulatedClock;
  /** API requests served, oldest first (at most 10,000; control endpoints are not logged). */
  readonly requestLog: RequestLogEntry[];
  /** Creates, updates and deletes records; returns exactly which ids changed. */
  mutate(request: MutationRequest): MutationSummary;
  /**
   * Puts a record in place of the record with its id, or adds it: an object, or JSON text
   * that the list and aggregation endpoints send byte for byte (for values such as
   * 9007199254740993 that a JavaScript object cannot hold). Its sort and filter keys are read
   * from the record, with `lastUpdatedAt` and `createdAt` 0 when they are no number.
   */
  putRecord(entity: string, record: PendoRecord | string): PutRecordResult;
  /** Updates `count` records of `entity` so that they all share one new `lastUpdatedAt`. */
  setSharedTimestamp(entity: string, count: number): MutationSummary;
  /**
   * Yields the current records as the list endpoint sends them (default app only unless
   * `allApps`). For `visitors` and `accounts` it yields every live person, as the
   * aggregation source does.
   */
  truth(entity: string, selection?: AppSelection): AsyncIterable<PendoRecord>;
  /** Returns the ids of the current records, in the same order as `truth`. */
  truthIds(entity: string, selection?: AppSelection): string[];
  counts(): SimulatorCounts;
  /**
   * Yields the exact rows of an event source over [from, to) as visible now, straight from
   * the generator: no filter, sort or HTTP. Rows come bucket by bucket, app by app.
   */
  eventRows(query: EventQuery): Iterable<PendoRecord>;
  /** Sums the rows of `eventRows` per bucket: rows, numEvents, numMinutes, unique visitors. */
  eventTotals(query: EventQuery): BucketTotals[];
  /** The subscription's IANA time zone; day buckets start at its midnight. */
  readonly timeZone: string;
  /** Queues a fault for the next matching API requests. */
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Starts a simulator on `host:port` (127.0.0.1 and a free port by default). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(options);
  const state = new SimulatorState(resolved);
  const server = createSimulatorServer(state);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const url = `http://${host}:${port}`;
  resolved.logger.info(
    { url, seed: resolved.seed, sizes: resolved.sizes, apps: resolved.apps },
    'simulator listening',
  );
  return {
    url,
    port,
    apiKey: resolved.apiKeys[0] ?? '',
    apiKeys: resolved.apiKeys,
    apps: state.catalog.context.apps,
    clock: state.clock,
    requestLog: state.requestLog,
    mutate: (request) => state.mutate(request),
    putRecord: (entity, record) => state.putRecord(entity, record),
    setSharedTimestamp: (entity, count) =>
      state.mutate({
        updates: { [resolvePersonEntity(entity) ?? requireEntity(entity)]: count },
        sameTimestamp: true,
      }),
    truth: (entity, selection) => state.truth(entity, selection),
    truthIds: (entity, selection) => state.truthIds(entity, selection),
    counts: () => state.counts(),
    eventRows: (query) => state.activity.eventRows(query),
    eventTotals: (query) => state.activity.eventTotals(query),
    timeZone: resolved.activity.timeZone,
    injectFault: (fault) => state.faults.inject(fault),
    clearFaults: () => state.faults.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        resolved.logger.info({ url }, 'simulator stopped');
      }),
  };
}
