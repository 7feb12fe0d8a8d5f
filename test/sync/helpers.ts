import { Writable } from 'node:stream';
import type pg from 'pg';
import { catalogTable } from '../../src/db/rows';
import { createLogger } from '../../src/log';
import type { Logger } from '../../src/log';
import { createPendoClient } from '../../src/pendo/client';
import { createLimiter } from '../../src/pendo/limiter';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator, SimulatorOptions } from '../../src/simulator/index';
import type { EntityCounts, EntityResult, SyncOptions } from '../../src/sync/context';
import { Deadline } from '../../src/sync/deadline';
import type { ProgressReporter } from '../../src/sync/progress';
import { runSync } from '../../src/sync/run-sync';
import type { RunSummary } from '../../src/sync/run-sync';
import { CATALOG_ENTITIES } from '../../src/types';
import type { CatalogEntity, PendoRecord, SyncMode } from '../../src/types';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';

/** Small sizes for every entity, so a whole sync takes well under a second. */
export const SMALL_SIZES = {
  guides: 45,
  features: 70,
  pages: 40,
  track_types: 12,
  reports: 9,
  segments: 6,
};

/** The entities read through the aggregation endpoint, incrementally after the first run. */
export const AGGREGATION_ENTITIES = ['guides', 'features', 'pages', 'track_types'] as const;

/** The entities read whole from their list endpoint on every run. */
export const LIST_ENTITIES = ['reports', 'segments'] as const;

/** One call the engine made on the progress reporter. */
export type ProgressCall =
  | { kind: 'start'; entity: CatalogEntity; pass: string; mode: SyncMode; total?: number }
  | { kind: 'advance'; entity: CatalogEntity; counts: EntityCounts }
  | { kind: 'finish'; result: EntityResult }
  | { kind: 'close' };

/** A progress reporter that keeps every call, in order. */
export class RecordingProgress implements ProgressReporter {
  readonly calls: ProgressCall[] = [];

  start(entity: CatalogEntity, pass: string, mode: SyncMode, total: number | undefined): void {
    this.calls.push({ kind: 'start', entity, pass, mode, total });
  }

  advance(entity: CatalogEntity, counts: EntityCounts): void {
    this.calls.push({ kind: 'advance', entity, counts: { ...counts } });
  }

  finish(result: EntityResult): void {
    this.calls.push({ kind: 'finish', result });
  }

  close(): void {
    this.calls.push({ kind: 'close' });
  }

  /** Returns the pass names started for `entity`, in order. */
  passes(entity: CatalogEntity): string[] {
    return this.calls.flatMap((call) =>
      call.kind === 'start' && call.entity === entity ? [call.pass] : [],
    );
  }
}

/** Creates a pino logger, with the project's secret redaction, that keeps its lines in memory. */
export function createRecordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** A simulator and a migrated test database, started together and closed together. */
export interface SyncHarness {
  simulator: Simulator;
  database: TestDatabase;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Starts a simulator (small sizes, fixed seed unless `options` overrides them) and a database. */
export async function startHarness(options: SimulatorOptions = {}): Promise<SyncHarness> {
  const simulator = await startSimulator({ seed: 'sync-test', sizes: SMALL_SIZES, ...options });
  const database = await createTestDatabase();
  return {
    simulator,
    database,
    pool: database.pool,
    async close() {
      await simulator.close();
      await database.drop();
    },
  };
}

/** Options of one test sync: the engine's options plus the time limit and the key to send. */
export interface TestSyncOptions extends Partial<SyncOptions> {
  maxDurationMs?: number;
  /** Integration key to send; the simulator's own key by default. */
  apiKey?: string;
}

/** What one test sync returned and recorded. */
export interface TestSyncRun {
  summary: RunSummary;
  progress: RecordingProgress;
  logLines: string[];
  elapsedMs: number;
  /** The result of one entity; throws when the run did not sync it. */
  result(entity: CatalogEntity): EntityResult;
}

/** Where a test sync reads from and writes to: any server that speaks Pendo's API, and a pool. */
export interface SyncTarget {
  simulator: Pick<Simulator, 'url' | 'apiKey'>;
  pool: pg.Pool;
}

/**
 * Runs `runSync` against the target's server over HTTP with a real client and pool.
 * Defaults: every entity, every app, pages of 100, batches of 30, deletion checks on, and
 * client retry delays of at most 50 ms so retry tests stay fast.
 */
export async function runTestSync(
  harness: SyncTarget,
  options: TestSyncOptions = {},
): Promise<TestSyncRun> {
  const { maxDurationMs, apiKey, ...overrides } = options;
  const { logger, lines } = createRecordingLogger();
  const progress = new RecordingProgress();
  const limiter = createLimiter(4);
  const started = Date.now();
  const summary = await runSync({
    pool: harness.pool,
    logger,
    deadline: new Deadline(maxDurationMs),
    progress,
    createPendoClient: (onRequest) =>
      createPendoClient({
        apiKey: apiKey ?? harness.simulator.apiKey,
        baseUrl: harness.simulator.url,
        logger,
        limiter,
        onRequest,
        timeoutMs: 10_000,
        bodyIdleTimeoutMs: 10_000,
        maxAttempts: 4,
        retryBaseMs: 10,
        retryMaxMs: 50,
      }),
    options: {
      entities: [...CATALOG_ENTITIES],
      full: false,
      appIds: 'all',
      pageSize: 100,
      batchSize: 30,
      detectDeletions: true,
      maxAttempts: 4,
      ...overrides,
    },
  });
  const elapsedMs = Date.now() - started;
  return {
    summary,
    progress,
    logLines: lines,
    elapsedMs,
    result(entity) {
      const found = summary.results.find((result) => result.entity === entity);
      if (!found) throw new Error(`the run did not sync ${entity}`);
      return found;
    },
  };
}

/** Collects the simulator's current records of `entity` (every app) by id. */
export async function truthById(
  simulator: Simulator,
  entity: CatalogEntity,
): Promise<Map<string, PendoRecord>> {
  const records = new Map<string, PendoRecord>();
  for await (const record of simulator.truth(entity, { allApps: true })) {
    records.set(String(record.id), record);
  }
  return records;
}

/** Sorts a copy of `values`, so id lists from different sources compare as sets. */
export function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

/** Returns the ids of `entity`'s rows that are not marked deleted, sorted. */
export async function liveIds(pool: pg.Pool, entity: CatalogEntity): Promise<string[]> {
  const result = await pool.query<{ id: string }>(
    `select id from ${catalogTable(entity)} where deleted_at is null order by id`,
  );
  return sorted(result.rows.map((row) => row.id));
}

/** Returns the ids of `entity`'s rows marked deleted, sorted. */
export async function deletedIds(pool: pg.Pool, entity: CatalogEntity): Promise<string[]> {
  const result = await pool.query<{ id: string }>(
    `select id from ${catalogTable(entity)} where deleted_at is not null order by id`,
  );
  return sorted(result.rows.map((row) => row.id));
}

/** Returns the number of rows of `entity`, deleted ones included. */
export async function rowCount(pool: pg.Pool, entity: CatalogEntity): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `select count(*) as count from ${catalogTable(entity)}`,
  );
  return Number(result.rows[0]?.count ?? 0);
}

/** A row of a catalog table with every column; bigint columns arrive as text. */
export type CatalogTableRow = Record<string, unknown> & {
  id: string;
  raw: PendoRecord;
  app_id: string | null;
};

/** Returns every row of `entity`'s table, keyed by id. */
export async function tableRows(
  pool: pg.Pool,
  entity: CatalogEntity,
): Promise<Map<string, CatalogTableRow>> {
  const result = await pool.query<CatalogTableRow>(`select * from ${catalogTable(entity)}`);
  return new Map(result.rows.map((row) => [row.id, row]));
}

/** Returns each row's transaction id (`xmin`), which changes whenever the row is rewritten. */
export async function rowVersions(
  pool: pg.Pool,
  entity: CatalogEntity,
): Promise<Map<string, string>> {
  const result = await pool.query<{ id: string; version: string }>(
    `select id, xmin::text as version from ${catalogTable(entity)}`,
  );
  return new Map(result.rows.map((row) => [row.id, row.version]));
}

/** A `sync_status` row as the tests read it; counters arrive as text. */
export interface RunLogRow {
  id: string;
  run_id: string;
  entity: CatalogEntity;
  mode: SyncMode;
  status: string;
  fetched: string;
  inserted: string;
  updated: string;
  unchanged: string;
  deleted: string;
  api_calls: string;
  error: string | null;
}

/** Returns the run log rows of one run, ordered by entity. */
export async function runLog(pool: pg.Pool, runId: string): Promise<RunLogRow[]> {
  const result = await pool.query<RunLogRow>(
    'select * from sync_status where run_id = $1 order by entity',
    [runId],
  );
  return result.rows;
}

/** Returns the ids of records that `changes` lists under `key` for `entity`, sorted. */
export function changedIds(
  changes: Partial<Record<CatalogEntity, Record<'created' | 'updated' | 'deleted', string[]>>>,
  entity: CatalogEntity,
  key: 'created' | 'updated' | 'deleted',
): string[] {
  return sorted(changes[entity]?.[key] ?? []);
}
