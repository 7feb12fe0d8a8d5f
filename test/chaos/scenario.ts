import type { EventStream } from '../../src/events/streams';
import type { MutationRequest } from '../../src/simulator/index';
import type { RandomFaultKind, RandomFaultOptions } from '../../src/simulator/http/random-faults';
import { Random } from '../../src/simulator/random';
import { CATALOG_ENTITIES, ENTITIES } from '../../src/types';
import type { CatalogEntity, Entity } from '../../src/types';

/**
 * Seeded chaos scenarios: one seed picks the subscription's size, the sync's page and batch
 * sizes, the HTTP faults of the faulty run and one process or database fault with the moment
 * it strikes. The same seed always builds the same scenario, so a failing one can be replayed
 * with CHAOS_SEED.
 */

/** Passes a kill can interrupt: the name the `pass started` log line carries. */
export const KILL_PHASES = ['full', 'incremental', 'deletions'] as const;

export type KillPhase = (typeof KILL_PHASES)[number];

/**
 * A moment of the faulty run: once `entity` (or any entity when absent) logged the start of
 * a pass named `pass` (any pass when absent), wait for `batches` of its batch commits, then
 * `delayMs` more. With `stream`, the trigger follows that event stream instead: its start,
 * then `batches` of its committed windows.
 */
export interface Trigger {
  entity?: Entity;
  pass?: KillPhase;
  stream?: EventStream;
  batches: number;
  delayMs: number;
}

/** The fault that strikes the sync process or its database during the faulty run. */
export type ProcessFault =
  /** SIGKILL of the sync process. */
  | { kind: 'kill'; at: Trigger }
  /**
   * Restart of the database server. `fast` is PostgreSQL's fast shutdown (SIGINT), which
   * ends sessions with an error. `immediate` is its immediate shutdown (SIGQUIT), after
   * which the server recovers from its write-ahead log as after a crash.
   */
  | { kind: 'restart-database'; at: Trigger; mode: 'fast' | 'immediate'; downMs: number }
  /**
   * pg_terminate_backend of a sync session, `times` times: one running the COPY into the
   * staging table, the merge that follows it, or any statement inside a transaction.
   */
  | { kind: 'terminate-session'; at: Trigger; times: number; during: SessionStatement }
  /**
   * A `statement_timeout` in DATABASE_URL, hit because the test holds an exclusive lock on
   * `entity`'s table from the trigger on.
   */
  | { kind: 'statement-timeout'; at: Trigger; entity: CatalogEntity; timeoutMs: number }
  /** HTTP faults only. */
  | { kind: 'none' };

/** Which statement a terminated session runs, or ran last inside its open transaction. */
export type SessionStatement = 'copy' | 'merge' | 'transaction';

export type ProcessFaultKind = ProcessFault['kind'];

export const PROCESS_FAULT_KINDS: readonly ProcessFaultKind[] = [
  'kill',
  'restart-database',
  'terminate-session',
  'statement-timeout',
  'none',
];

/** Everything one scenario does; see `runScenario` for the order of the steps. */
export interface Scenario {
  seed: number;
  /** Simulator sizes, catalog entities and people. */
  sizes: Record<string, number>;
  pageSize: number;
  batchSize: number;
  /** PENDO_MAX_ATTEMPTS of every run. */
  maxAttempts: number;
  /** True when a clean sync runs first, so the faulty run is incremental. */
  syncedBefore: boolean;
  /** Changes made in the simulator just before the faulty run. */
  mutation: MutationRequest;
  /** Seeded random HTTP faults of the faulty run, or null for none. */
  httpFaults: RandomFaultOptions | null;
  /** A 429 with `Retry-After: 1` queued on the first aggregation request of the faulty run. */
  retryAfter429: boolean;
  fault: ProcessFault;
}

/** Request timeout of every run; a `slow-body` fault longer than this stalls the request. */
export const REQUEST_TIMEOUT_MS = 2_000;

/** Endpoints the sync reads; random faults go only there. */
const SYNC_PATHS = ['aggregation', 'report', 'segment'];

const AGGREGATION_ENTITIES: readonly Entity[] = [
  'guides',
  'features',
  'pages',
  'track_types',
  'visitors',
  'accounts',
];

const HTTP_KINDS: readonly RandomFaultKind[] = [
  'status-408',
  'status-429',
  'status-500',
  'status-502',
  'status-503',
  'retry-after-date',
  'reset',
  'truncate',
  'corrupt-gzip',
  'invalid-json-html',
  'invalid-json-garbage',
  'slow-body',
  'duplicate-records',
];

function pickSizes(random: Random): Record<string, number> {
  return {
    guides: random.int(80, 240),
    features: random.int(60, 160),
    pages: random.int(30, 80),
    track_types: random.int(8, 24),
    reports: random.int(5, 15),
    segments: random.int(4, 10),
    visitors: random.int(150, 350),
    accounts: random.int(20, 60),
  };
}

/** Changes to every entity, enough that incremental and deletion passes have several batches. */
function pickMutation(random: Random): MutationRequest {
  const creates: Partial<Record<Entity, number>> = {};
  const updates: Partial<Record<Entity, number>> = {};
  const deletes: Partial<Record<Entity, number>> = {};
  for (const entity of ENTITIES) {
    creates[entity] = random.int(0, 6);
    updates[entity] = random.int(2, entity === 'guides' || entity === 'visitors' ? 60 : 12);
    deletes[entity] = random.int(0, 3);
  }
  return { creates, updates, deletes };
}

function pickHttpFaults(random: Random, seed: number): RandomFaultOptions | null {
  if (random.chance(0.2)) return null;
  const kinds = HTTP_KINDS.filter(() => random.chance(0.6));
  return {
    seed: `chaos-${seed}`,
    rate: random.int(3, 15) / 100,
    kinds: kinds.length > 0 ? kinds : [random.pick(HTTP_KINDS)],
    paths: SYNC_PATHS,
    // Either slow but within the request timeout, or a stall that outlasts it.
    slowBodyMs: random.chance(0.5) ? 300 : REQUEST_TIMEOUT_MS + 500,
    maxOffsetBytes: random.int(200, 6_000),
    maxFaults: random.int(3, 12),
  };
}

function pickKillTrigger(random: Random, syncedBefore: boolean): Trigger {
  if (!syncedBefore) {
    return {
      entity: random.pick(ENTITIES),
      pass: 'full',
      batches: random.int(0, 4),
      delayMs: random.int(0, 30),
    };
  }
  const pass = random.pick(['incremental', 'deletions'] as const);
  return {
    entity: random.pick(AGGREGATION_ENTITIES),
    pass,
    // A deletion check commits no batches that the log reports, so only a delay applies.
    batches: pass === 'incremental' ? random.int(0, 2) : 0,
    delayMs: random.int(0, pass === 'deletions' ? 60 : 20),
  };
}

function pickFault(random: Random, kind: ProcessFaultKind, syncedBefore: boolean): ProcessFault {
  const anyBatch = (): Trigger => ({ batches: random.int(0, 8), delayMs: random.int(0, 40) });
  switch (kind) {
    case 'kill':
      return { kind, at: pickKillTrigger(random, syncedBefore) };
    case 'restart-database':
      return {
        kind,
        at: anyBatch(),
        mode: random.pick(['fast', 'immediate'] as const),
        downMs: random.int(0, 1_500),
      };
    case 'terminate-session':
      return {
        kind,
        at: anyBatch(),
        times: random.int(1, 3),
        during: random.pick(['copy', 'copy', 'merge', 'transaction'] as const),
      };
    case 'statement-timeout': {
      const entity = random.pick(CATALOG_ENTITIES);
      return {
        kind,
        entity,
        at: { entity, batches: random.int(0, 1), delayMs: 0 },
        timeoutMs: 1_000,
      };
    }
    case 'none':
      return { kind };
  }
}

/** Share of kills, restarts and session terminations that strike inside an event stream. */
const STREAM_TRIGGER_CHANCE = 0.4;

/**
 * Moves the fault's trigger into the windows of one of `streams`, sometimes. Drawn after
 * everything else, so a scenario without streams is the same as before streams existed.
 */
function pickStreamTrigger(random: Random, fault: ProcessFault, streams: readonly EventStream[]) {
  if (streams.length === 0 || !random.chance(STREAM_TRIGGER_CHANCE)) return;
  if (fault.kind === 'none' || fault.kind === 'statement-timeout') return;
  fault.at = {
    stream: random.pick(streams),
    batches: random.int(0, 3),
    delayMs: random.int(0, 30),
  };
}

/**
 * Builds the scenario of `seed` for a form that syncs `streams` too. The kind of process
 * fault cycles with the seed (seed modulo the number of kinds, in PROCESS_FAULT_KINDS order),
 * so any run of consecutive seeds covers every kind; the rest is drawn from a generator
 * seeded by `seed`.
 */
export function generateScenario(seed: number, streams: readonly EventStream[] = []): Scenario {
  const random = Random.of('chaos', seed);
  const kind = PROCESS_FAULT_KINDS[seed % PROCESS_FAULT_KINDS.length] ?? 'none';
  const syncedBefore = random.chance(0.5);
  const scenario: Scenario = {
    seed,
    sizes: pickSizes(random),
    pageSize: random.int(40, 150),
    batchSize: random.int(8, 30),
    maxAttempts: random.int(4, 5),
    syncedBefore,
    mutation: pickMutation(random),
    httpFaults: pickHttpFaults(random, seed),
    retryAfter429: random.chance(0.3),
    fault: pickFault(random, kind, syncedBefore),
  };
  pickStreamTrigger(random, scenario.fault, streams);
  return scenario;
}

function describeTrigger(trigger: Trigger): string {
  if (trigger.stream) {
    return `windows of ${trigger.stream} after ${trigger.batches} windows + ${trigger.delayMs} ms`;
  }
  const where = `${trigger.pass ?? 'any'} pass of ${trigger.entity ?? 'any entity'}`;
  return `${where} after ${trigger.batches} batches + ${trigger.delayMs} ms`;
}

/** Returns a one-line summary of a scenario for test names and failure messages. */
export function describeScenario(scenario: Scenario): string {
  const { fault } = scenario;
  const run = scenario.syncedBefore ? 'incremental' : 'first';
  const http = scenario.httpFaults
    ? `http rate ${scenario.httpFaults.rate}, ${scenario.httpFaults.kinds?.length ?? 0} kinds`
    : 'no http faults';
  let what: string;
  switch (fault.kind) {
    case 'kill':
      what = `SIGKILL in ${describeTrigger(fault.at)}`;
      break;
    case 'restart-database':
      what = `${fault.mode} database restart (${fault.downMs} ms down) in ${describeTrigger(fault.at)}`;
      break;
    case 'terminate-session':
      what = `${fault.times} sessions terminated during ${fault.during} from ${describeTrigger(fault.at)}`;
      break;
    case 'statement-timeout':
      what = `statement timeout on ${fault.entity} in ${describeTrigger(fault.at)}`;
      break;
    case 'none':
      what = 'no process fault';
  }
  return `seed ${scenario.seed}: ${run} run, ${what}, ${http}`;
}
