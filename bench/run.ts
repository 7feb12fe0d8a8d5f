/**
 * `npm run bench`: syncs guides from a simulator process into PostgreSQL with the real
 * `pendo-sync sync` command and prints wall time, records per second, peak RSS and CPU time of
 * each process as Markdown. Run `npm run bench -- --help` for the options.
 */
import path from 'node:path';
import { openBenchDatabase } from './database';
import type { BenchDatabase } from './database';
import { readServerVersion } from './database-queries';
import { describeMachine } from './machine';
import type { Cleanup } from './main';
import { runBenchmarkMain } from './main';
import type { BenchOptions } from './options';
import { USAGE, parseBenchOptions } from './options';
import { PHASES, runPhase } from './phases';
import type { PhaseResult } from './phases';
import { rootOf } from './process-monitor';
import { formatReport } from './report';
import { startSimulatorProcess } from './simulator-process';
import type { SimulatorProcess } from './simulator-process';

const REPOSITORY = path.resolve(import.meta.dirname, '..');

function note(message: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function describePhase(result: PhaseResult): string {
  const peakMb = ((rootOf(result.syncMemory)?.peakRssKb ?? 0) * 1024) / 1e6;
  return (
    `${result.phase.name}: ${(result.wallMs / 1000).toFixed(1)} s, ` +
    `${result.run.fetched} fetched, peak RSS ${peakMb.toFixed(0)} MB`
  );
}

async function runPhases(
  options: BenchOptions,
  workDir: string,
  simulator: SimulatorProcess,
  database: BenchDatabase,
): Promise<PhaseResult[]> {
  const target = {
    databaseUrl: database.url,
    pendoBaseUrl: simulator.url,
    pendoApiKey: simulator.apiKey,
    stateDir: path.join(workDir, 'state'),
  };
  const results: PhaseResult[] = [];
  for (const [index, phase] of PHASES.entries()) {
    note(`sync ${index + 1} of ${PHASES.length}: ${phase.name}`);
    const result = await runPhase(phase, {
      cwd: REPOSITORY,
      guides: options.guides,
      workDir,
      index,
      nodeArgs: options.nodeArgs,
      sampleMemory: options.sampleMemory,
      target,
      simulator,
      database,
    });
    note(describePhase(result));
    results.push(result);
  }
  return results;
}

async function benchmark(options: BenchOptions, workDir: string, cleanup: Cleanup): Promise<void> {
  const machine = await describeMachine();
  note(options.databaseUrl ? 'connecting to BENCH_DATABASE_URL' : 'starting embedded PostgreSQL');
  const database = await openBenchDatabase(options.databaseUrl, workDir);
  cleanup.add('close the database', () => database.close());
  const postgresVersion = await readServerVersion(database.pool);

  note(`starting the simulator with ${options.guides} guides, seed ${options.seed}`);
  const simulator = await startSimulatorProcess({
    cwd: REPOSITORY,
    guides: options.guides,
    seed: options.seed,
    logPrefix: path.join(workDir, 'simulator'),
  });
  cleanup.add('stop the simulator', () => simulator.stop());
  note(`simulator listening on ${simulator.url}`);

  const phases = await runPhases(options, workDir, simulator, database);
  const simulatorMemory = await simulator.stop();
  const args = process.argv.slice(2);
  console.log(
    formatReport({
      date: new Date(),
      command: ['npm run bench', ...(args.length > 0 ? ['--', ...args] : [])].join(' '),
      guides: options.guides,
      seed: options.seed,
      machine,
      postgresVersion,
      databaseDescription: database.description,
      phases,
      simulatorMemory,
    }),
  );
}

process.exitCode = await runBenchmarkMain({
  argv: process.argv.slice(2),
  parse: parseBenchOptions,
  usage: USAGE,
  tmpPrefix: 'pendo-sync-bench-',
  note,
  benchmark,
});
