import path from 'node:path';
import type { MutationRequest } from '../src/simulator';
import type { BenchDatabase } from './database';
import type { DatabaseSizes, GuideRowChanges, GuideRunRow } from './database-queries';
import { readDatabaseSizes, readGuideRowChanges, readLatestGuideRun } from './database-queries';
import type { MemorySummary } from './memory-sampler';
import type { TreeReport } from './process-monitor';
import { cpuSecondsOf, rootOf } from './process-monitor';
import type { SimulatorProcess } from './simulator-process';
import { runSyncProcess } from './sync-process';
import type { SyncTarget } from './sync-process';

/** Maximum time one sync process may run before the benchmark stops it. */
const SYNC_TIMEOUT_MS = 60 * 60_000;

/** One sync of the benchmark: what to change in the simulator first and which flags to pass. */
export interface Phase {
  name: string;
  syncArgs: string[];
  /** Built from the number of guides; undefined when the simulator stays as it is. */
  mutation?: (guides: number) => MutationRequest;
}

/** Records changed in the simulator before a phase. */
export interface AppliedMutation {
  created: number;
  updated: number;
  deleted: number;
}

/** CPU seconds used during a phase, per part. Undefined where it could not be read. */
export interface PhaseCpu {
  sync: number;
  simulator: number | undefined;
  postgres: number | undefined;
}

export interface PhaseResult {
  phase: Phase;
  mutation: AppliedMutation | undefined;
  wallMs: number;
  run: GuideRunRow;
  rows: GuideRowChanges;
  sizes: DatabaseSizes;
  syncMemory: TreeReport;
  /** From the memory sampler, with `--sample-memory`. */
  heap: MemorySummary | undefined;
  cpu: PhaseCpu;
}

/**
 * The four syncs, in order. The first sync is full. The second is incremental, after 1% of the
 * guides were updated and 0.1% created and deleted. The third is incremental with nothing
 * changed. The fourth is a full re-read with nothing changed, which must rewrite no row.
 */
export const PHASES: readonly Phase[] = [
  { name: 'first sync (full)', syncArgs: [] },
  {
    name: 'incremental after changes',
    syncArgs: [],
    mutation: (guides) => {
      const small = Math.max(1, Math.round(guides / 1000));
      return {
        updates: { guides: Math.max(1, Math.round(guides / 100)) },
        creates: { guides: small },
        deletes: { guides: small },
      };
    },
  },
  { name: 'incremental, no change', syncArgs: [] },
  { name: 'full re-read, no change', syncArgs: ['--full'] },
];

async function applyMutation(
  simulator: SimulatorProcess,
  request: MutationRequest,
): Promise<AppliedMutation> {
  const summary = await simulator.mutate(request);
  const changes = summary.changes.guides;
  return {
    created: changes?.created.length ?? 0,
    updated: changes?.updated.length ?? 0,
    deleted: changes?.deleted.length ?? 0,
  };
}

/** Runs one phase: applies its mutation to the simulator, if any, syncs, and reads the results. */
export async function runPhase(
  phase: Phase,
  context: {
    cwd: string;
    guides: number;
    workDir: string;
    index: number;
    nodeArgs: string[];
    sampleMemory: boolean;
    target: SyncTarget;
    simulator: SimulatorProcess;
    database: BenchDatabase;
  },
): Promise<PhaseResult> {
  const { simulator, database } = context;
  const mutation = phase.mutation
    ? await applyMutation(simulator, phase.mutation(context.guides))
    : undefined;

  const since = new Date();
  const simulatorCpuBefore = rootOf(simulator.monitor.snapshot())?.cpuSeconds;
  const postgresCpuBefore = await database.readCpuSeconds();
  const result = await runSyncProcess({
    cwd: context.cwd,
    target: context.target,
    nodeArgs: context.nodeArgs,
    sampleMemory: context.sampleMemory,
    syncArgs: phase.syncArgs,
    logPrefix: path.join(context.workDir, `sync-${context.index + 1}`),
    timeoutMs: SYNC_TIMEOUT_MS,
  });
  const simulatorCpuAfter = rootOf(simulator.monitor.snapshot())?.cpuSeconds;
  const postgresCpuAfter = await database.readCpuSeconds();

  const run = await readLatestGuideRun(database.pool);
  if (!run) throw new Error(`The sync of phase "${phase.name}" left no sync_status row.`);
  return {
    phase,
    mutation,
    wallMs: result.wallMs,
    run,
    rows: await readGuideRowChanges(database.pool, since),
    sizes: await readDatabaseSizes(database.pool),
    syncMemory: result.memory,
    heap: result.heap,
    cpu: {
      sync: cpuSecondsOf(result.memory),
      simulator: difference(simulatorCpuAfter, simulatorCpuBefore),
      postgres: difference(postgresCpuAfter, postgresCpuBefore),
    },
  };
}

function difference(after: number | undefined, before: number | undefined): number | undefined {
  return after === undefined || before === undefined ? undefined : after - before;
}
