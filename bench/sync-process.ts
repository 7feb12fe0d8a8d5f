import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { spawnNode, stopChild, tailFile } from './child-process';
import type { MemorySummary } from './memory-sampler';
import type { TreeReport } from './process-monitor';
import { monitorProcessTree } from './process-monitor';

/** Simulator, database and state folder that a sync connects to. */
export interface SyncTarget {
  databaseUrl: string;
  pendoBaseUrl: string;
  pendoApiKey: string;
  /** Folder for the sync's local state; the benchmark's own, so `.pendo-sync/` stays untouched. */
  stateDir: string;
}

/** One finished `pendo-sync sync` process. */
export interface SyncProcessResult {
  exitCode: number | null;
  /** From spawn to exit, start-up and migrations included. */
  wallMs: number;
  memory: TreeReport;
  /** From bench/memory-sampler.ts, when `sampleMemory` was set. */
  heap: MemorySummary | undefined;
  stdoutFile: string;
  stderrFile: string;
}

/** Node.js options that preload the memory sampler, and the variable naming its output file. */
function samplerSetup(cwd: string, outputFile: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const sampler = pathToFileURL(path.join(cwd, 'bench', 'memory-sampler.ts')).href;
  return { args: ['--import', 'tsx', '--import', sampler], env: { BENCH_MEMORY_FILE: outputFile } };
}

async function readHeapSummary(file: string): Promise<MemorySummary> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as MemorySummary;
  } catch (error) {
    throw new Error(`The memory sampler wrote no readable ${file}.`, { cause: error });
  }
}

/**
 * Runs `node [nodeArgs] bin/pendo-sync.js sync --entities guides [syncArgs]` with CI=1, so logs
 * are JSON lines, and polls its process tree every 100 ms. Throws when it runs longer than
 * `timeoutMs` (after stopping it) or exits with a code other than 0.
 */
export async function runSyncProcess(options: {
  cwd: string;
  target: SyncTarget;
  nodeArgs: string[];
  /** Preload bench/memory-sampler.ts and return its summary as `heap`. */
  sampleMemory: boolean;
  syncArgs: string[];
  logPrefix: string;
  timeoutMs: number;
}): Promise<SyncProcessResult> {
  const { target } = options;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: '1',
    DATABASE_URL: target.databaseUrl,
    PENDO_BASE_URL: target.pendoBaseUrl,
    PENDO_API_KEY: target.pendoApiKey,
    PENDO_SYNC_STATE_DIR: target.stateDir,
  };
  const heapFile = `${options.logPrefix}.memory.json`;
  const sampler = options.sampleMemory ? samplerSetup(options.cwd, heapFile) : undefined;
  Object.assign(env, sampler?.env);
  const args = [...(sampler?.args ?? []), ...options.nodeArgs];
  args.push('bin/pendo-sync.js', 'sync', '--entities', 'guides', ...options.syncArgs);

  const started = performance.now();
  const logged = await spawnNode(args, { cwd: options.cwd, env, logPrefix: options.logPrefix });
  const monitor = monitorProcessTree(logged.pid);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  try {
    const outcome = await Promise.race([logged.exited, timedOut]);
    const wallMs = performance.now() - started;
    const memory = await monitor.stop();
    if (outcome === 'timeout') {
      await stopChild(logged);
      throw new Error(
        `The sync did not finish within ${options.timeoutMs / 1000} s; it was stopped.`,
      );
    }
    if (outcome.code !== 0) {
      const reason = outcome.signal ? `signal ${outcome.signal}` : `exit code ${outcome.code}`;
      throw new Error(
        `The sync failed with ${reason}.\n${await tailFile(logged.stdoutFile, 10)}\n` +
          `Last lines of ${logged.stderrFile}:\n${await tailFile(logged.stderrFile)}`,
      );
    }
    return {
      exitCode: outcome.code,
      wallMs,
      memory,
      heap: options.sampleMemory ? await readHeapSummary(heapFile) : undefined,
      stdoutFile: logged.stdoutFile,
      stderrFile: logged.stderrFile,
    };
  } finally {
    clearTimeout(timer);
    await monitor.stop();
    await stopChild(logged);
  }
}
