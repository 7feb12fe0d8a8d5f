import type pg from 'pg';
import { catalogTable } from '../../src/db/rows';
import { createPool } from '../../src/db/pool';
import { silentLogger } from '../../src/log';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import { ENTITIES } from '../../src/types';
import type { Entity } from '../../src/types';
import type { CliResult } from '../cli/helpers';
import { cliEnvironment, runCli, spawnCli } from '../cli/helpers';
import type { RunLogRow } from '../sync/helpers';
import type { ChaosServer } from './chaos-server';
import { LogWatcher } from './log-watcher';
import { strikeFault } from './process-faults';
import type { FaultOutcome } from './process-faults';
import { REQUEST_TIMEOUT_MS } from './scenario';
import type { Scenario } from './scenario';

/**
 * Returns the arguments of a `sync` or `verify`: every entity, and the event streams of
 * `streams` (a `--streams` list such as `all`), or no stream when it is undefined.
 */
function commandArgs(command: 'sync' | 'verify', streams: string | undefined): string[] {
  const args = [command, '--entities', ENTITIES.join(',')];
  if (streams) args.push('--streams', streams);
  return args;
}

/** Maximum time of one CLI run of a scenario; a run still going then counts as hung and is killed. */
export const RUN_TIMEOUT_MS = 100_000;

/** Ids of one table: every row, and the rows not marked deleted. */
export interface TableIds {
  all: Set<string>;
  live: Set<string>;
}

export type Snapshot = Record<Entity, TableIds>;

/** A `sync_status` row as the checks read it; counters arrive as text. */
export type RunRow = Omit<RunLogRow, 'entity'> & { entity: Entity; undeleted: string };

/** Everything a scenario produced, for the checks. */
export interface ScenarioReport {
  scenario: Scenario;
  apiKey: string;
  /** The database server's password. */
  password: string;
  setup: CliResult | undefined;
  faulty: CliResult;
  fault: FaultOutcome;
  clean: CliResult;
  verify: CliResult;
  /** Table ids before the faulty run, after it, and after the clean run. */
  beforeFaulty: Snapshot;
  afterFaulty: Snapshot;
  afterClean: Snapshot;
  /** Run log rows when the faulty run had ended, and after the clean run. */
  runLogAfterFaulty: RunRow[];
  runLogAfterClean: RunRow[];
  /** Ids of duplicated rows per entity after the clean run (none expected). */
  duplicates: Record<Entity, string[]>;
  /** The simulator's live ids after the clean run, as the tables must store them. */
  truth: Record<Entity, Set<string>>;
}

/** Returns the ids that a sync stores: every live record, without anonymous visitors. */
function truthIds(simulator: Simulator, entity: Entity): Set<string> {
  const ids = simulator.truthIds(entity, { allApps: true });
  return new Set(entity === 'visitors' ? ids.filter((id) => !id.startsWith('_PENDO_T_')) : ids);
}

async function snapshot(pool: pg.Pool): Promise<Snapshot> {
  const result = {} as Snapshot;
  for (const entity of ENTITIES) {
    const rows = await pool.query<{ id: string; live: boolean }>(
      `select id, deleted_at is null as live from ${catalogTable(entity)}`,
    );
    result[entity] = {
      all: new Set(rows.rows.map((row) => row.id)),
      live: new Set(rows.rows.filter((row) => row.live).map((row) => row.id)),
    };
  }
  return result;
}

async function readRunLog(pool: pg.Pool): Promise<RunRow[]> {
  const result = await pool.query<RunRow>('select * from sync_status order by started_at, id');
  return result.rows;
}

async function findDuplicates(pool: pg.Pool): Promise<Record<Entity, string[]>> {
  const result = {} as Record<Entity, string[]>;
  for (const entity of ENTITIES) {
    const rows = await pool.query<{ id: string }>(
      `select id from ${catalogTable(entity)} group by id having count(*) > 1`,
    );
    result[entity] = rows.rows.map((row) => row.id);
  }
  return result;
}

/** Runs `fn` with a new pool on `url`, closing it afterwards. */
async function withPool<T>(url: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = createPool(url, { logger: silentLogger, maxConnections: 2 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/** Starts the seeded random HTTP faults through the simulator's control endpoint. */
async function startHttpFaults(simulator: Simulator, scenario: Scenario): Promise<void> {
  if (scenario.retryAfter429) {
    simulator.injectFault({ path: 'aggregation', status: 429, retryAfter: { seconds: 1 } });
  }
  if (!scenario.httpFaults) return;
  const response = await fetch(`${simulator.url}/_simulator/faults/random`, {
    method: 'POST',
    body: JSON.stringify(scenario.httpFaults),
  });
  if (response.status !== 200) {
    throw new Error(`starting random faults failed: ${response.status} ${await response.text()}`);
  }
}

/** Adds `statement_timeout` to a PostgreSQL URL as a startup option. */
function withStatementTimeout(url: string, timeoutMs: number): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c statement_timeout=${timeoutMs}`);
  return parsed.toString();
}

/**
 * Runs one scenario: an optional clean first sync and changes in the simulator, then the
 * faulty sync with its HTTP faults and its process or database fault, then a clean sync and
 * `verify`. The database's ids and run log are read between the steps.
 */
export async function runScenario(
  server: ChaosServer,
  scenario: Scenario,
  streams: string | undefined,
): Promise<ScenarioReport> {
  const simulator = await startSimulator({ seed: `chaos-${scenario.seed}`, sizes: scenario.sizes });
  try {
    const databaseUrl = await server.createDatabase();
    const env = cliEnvironment({
      DATABASE_URL: databaseUrl,
      PENDO_API_KEY: simulator.apiKey,
      PENDO_BASE_URL: simulator.url,
      SYNC_PAGE_SIZE: String(scenario.pageSize),
      SYNC_BATCH_SIZE: String(scenario.batchSize),
      PENDO_MAX_ATTEMPTS: String(scenario.maxAttempts),
      PENDO_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      // Event streams cut days at the subscription's midnight, which only the simulator's options define.
      PENDO_TIME_ZONE: simulator.timeZone,
      LOG_LEVEL: 'debug',
    });

    let setup: CliResult | undefined;
    if (scenario.syncedBefore) {
      setup = await runCli(commandArgs('sync', streams), env, RUN_TIMEOUT_MS);
      simulator.mutate(scenario.mutation);
    } else {
      await runCli(['migrate'], env, RUN_TIMEOUT_MS);
    }
    const beforeFaulty = await withPool(databaseUrl, snapshot);

    await startHttpFaults(simulator, scenario);
    const { fault } = scenario;
    const faultyUrl =
      fault.kind === 'statement-timeout'
        ? withStatementTimeout(databaseUrl, fault.timeoutMs)
        : databaseUrl;
    const process = spawnCli(
      commandArgs('sync', streams),
      { ...env, DATABASE_URL: faultyUrl },
      RUN_TIMEOUT_MS,
    );
    const watcher = new LogWatcher(process.child.stderr!);
    const striking = strikeFault(fault, { process, watcher, server, databaseUrl });
    const faulty = await process.exited;
    const faultOutcome = await striking;
    simulator.clearFaults();

    const { afterFaulty, runLogAfterFaulty } = await withPool(databaseUrl, async (pool) => ({
      afterFaulty: await snapshot(pool),
      runLogAfterFaulty: await readRunLog(pool),
    }));
    const clean = await runCli(commandArgs('sync', streams), env, RUN_TIMEOUT_MS);
    const verify = await runCli(commandArgs('verify', streams), env, RUN_TIMEOUT_MS);
    const after = await withPool(databaseUrl, async (pool) => ({
      afterClean: await snapshot(pool),
      runLogAfterClean: await readRunLog(pool),
      duplicates: await findDuplicates(pool),
    }));
    const truth = {} as Record<Entity, Set<string>>;
    for (const entity of ENTITIES) truth[entity] = truthIds(simulator, entity);
    return {
      scenario,
      apiKey: simulator.apiKey,
      password: server.password,
      setup,
      faulty,
      fault: faultOutcome,
      clean,
      verify,
      beforeFaulty,
      afterFaulty,
      runLogAfterFaulty,
      ...after,
      truth,
    };
  } finally {
    await simulator.close();
  }
}
