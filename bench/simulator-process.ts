import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MutationRequest, MutationSummary } from '../src/simulator';
import type { LoggedChild } from './child-process';
import { hasExited, spawnNode, stopChild, tailFile } from './child-process';
import type { TreeMonitor, TreeReport } from './process-monitor';
import { monitorProcessTree } from './process-monitor';

/** Maximum wait for the simulator to print its URL. */
const START_TIMEOUT_MS = 120_000;
/** Maximum wait for one control request, such as a mutation of 1% of the guides. */
const CONTROL_TIMEOUT_MS = 120_000;

/** The `pendo-sync simulator` command running in its own process, polled for memory. */
export interface SimulatorProcess {
  url: string;
  apiKey: string;
  process: LoggedChild;
  monitor: TreeMonitor;
  mutate(request: MutationRequest): Promise<MutationSummary>;
  /** Stops the process (SIGTERM, then SIGKILL) and returns its memory and CPU time. */
  stop(): Promise<TreeReport>;
}

async function waitForUrl(logged: LoggedChild): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const output = await readFile(logged.stdoutFile, 'utf8').catch(() => '');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (url) return url;
    if (hasExited(logged.child)) {
      throw new Error(
        `The simulator exited before listening:\n${await tailFile(logged.stderrFile)}`,
      );
    }
    await sleep(100);
  }
  throw new Error(`The simulator did not print its URL within ${START_TIMEOUT_MS / 1000} s.`);
}

/** A simulator process that has printed its URL, with its memory polled since spawn. */
export interface LaunchedSimulator {
  logged: LoggedChild;
  monitor: TreeMonitor;
  url: string;
  /** Stops the process (SIGTERM, then SIGKILL) and returns its memory and CPU time. */
  stop: () => Promise<TreeReport>;
}

/**
 * Spawns `node <args>` with CI=1, polls its process tree from the start and waits until it
 * prints `listening on http://127.0.0.1:<port>`. Stops the process when it does not.
 */
export async function launchSimulator(
  args: string[],
  options: { cwd: string; logPrefix: string },
): Promise<LaunchedSimulator> {
  const logged = await spawnNode(args, {
    cwd: options.cwd,
    env: { ...process.env, CI: '1' },
    logPrefix: options.logPrefix,
  });
  const monitor = monitorProcessTree(logged.pid);
  const stop = async () => {
    await stopChild(logged);
    return monitor.stop();
  };
  try {
    const url = await waitForUrl(logged);
    return { logged, monitor, url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function postMutation(url: string, request: MutationRequest): Promise<MutationSummary> {
  const response = await fetch(`${url}/_simulator/mutate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
  });
  if (!response.ok) {
    throw new Error(`POST /_simulator/mutate failed: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as MutationSummary;
}

/**
 * Starts `node bin/pendo-sync.js simulator` on 127.0.0.1 and a free port with `guides` guides,
 * no other records, a fixed seed and a random key. Its memory is polled from the start.
 */
export async function startSimulatorProcess(options: {
  cwd: string;
  guides: number;
  seed: number;
  logPrefix: string;
}): Promise<SimulatorProcess> {
  const apiKey = randomBytes(16).toString('hex');
  const args = ['bin/pendo-sync.js', 'simulator', '--host', '127.0.0.1', '--port', '0'];
  args.push('--seed', String(options.seed), '--key', apiKey, '--guides', String(options.guides));
  for (const flag of ['--features', '--pages', '--track-types', '--reports', '--segments']) {
    args.push(flag, '0');
  }
  const { logged, monitor, url, stop } = await launchSimulator(args, options);
  return {
    url,
    apiKey,
    process: logged,
    monitor,
    mutate: (request) => postMutation(url, request),
    stop,
  };
}
