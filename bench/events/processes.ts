import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnNode, stopChild, tailFile } from '../child-process';
import type { TreeMonitor, TreeReport } from '../process-monitor';
import { monitorProcessTree } from '../process-monitor';
import { launchSimulator } from '../simulator-process';

/** The event benchmark's simulator, running in its own process and polled for memory. */
export interface EventSimulatorProcess {
  url: string;
  apiKey: string;
  /** IANA time zone of the simulated subscription: the simulator's default. */
  timeZone: string;
  monitor: TreeMonitor;
  /** Stops the process (SIGTERM, then SIGKILL) and returns its memory and CPU time. */
  stop(): Promise<TreeReport>;
}

/** Starts bench/events/simulator-main.ts on 127.0.0.1 and a free port with a random key. */
export async function startEventSimulator(options: {
  cwd: string;
  eventsPerDay: number;
  days: number;
  visitors: number;
  seed: number;
  logPrefix: string;
}): Promise<EventSimulatorProcess> {
  const apiKey = randomBytes(16).toString('hex');
  const args = ['--import', 'tsx', path.join('bench', 'events', 'simulator-main.ts')];
  args.push('--events-per-day', String(options.eventsPerDay), '--days', String(options.days));
  args.push('--visitors', String(options.visitors), '--seed', String(options.seed));
  args.push('--key', apiKey);
  const { url, monitor, stop } = await launchSimulator(args, options);
  return { url, apiKey, timeZone: 'America/New_York', monitor, stop };
}

/** One finished `pendo-sync` process. */
export interface CliProcessResult {
  exitCode: number | null;
  /** From spawn to exit, start-up and migrations included. */
  wallMs: number;
  memory: TreeReport;
  stdoutFile: string;
}

/**
 * Runs `node bin/pendo-sync.js <args>` against the benchmark's simulator and database with
 * CI=1, so logs are JSON lines, and polls its process tree every 100 ms as bench/run.ts does.
 * Exit codes in `allowedExitCodes` are returned; any other fails the benchmark.
 */
export async function runCli(options: {
  cwd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logPrefix: string;
  timeoutMs: number;
  allowedExitCodes?: number[];
}): Promise<CliProcessResult> {
  const env = { ...process.env, CI: '1', ...options.env };
  const started = performance.now();
  const logged = await spawnNode(['bin/pendo-sync.js', ...options.args], {
    cwd: options.cwd,
    env,
    logPrefix: options.logPrefix,
  });
  const monitor = monitorProcessTree(logged.pid);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  try {
    const outcome = await Promise.race([logged.exited, timedOut]);
    const wallMs = performance.now() - started;
    const memory = await monitor.stop();
    const name = `pendo-sync ${options.args[0] ?? ''}`;
    if (outcome === 'timeout') {
      await stopChild(logged);
      throw new Error(
        `${name} did not finish within ${options.timeoutMs / 1000} s; it was stopped.`,
      );
    }
    const allowed = options.allowedExitCodes ?? [0];
    if (outcome.code === null || !allowed.includes(outcome.code)) {
      const reason = outcome.signal ? `signal ${outcome.signal}` : `exit code ${outcome.code}`;
      throw new Error(
        `${name} failed with ${reason}.\n${await tailFile(logged.stdoutFile, 10)}\n` +
          `Last lines of ${logged.stderrFile}:\n${await tailFile(logged.stderrFile)}`,
      );
    }
    return { exitCode: outcome.code, wallMs, memory, stdoutFile: logged.stdoutFile };
  } finally {
    clearTimeout(timer);
    await monitor.stop();
    await stopChild(logged);
  }
}
