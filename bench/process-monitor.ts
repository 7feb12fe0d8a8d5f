import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listDescendants, readProcessCpu, readProcessMemory } from './proc-status';

/** Polling results for one process of a tree. */
export interface MonitoredProcess {
  pid: number;
  /** Program and first argument, e.g. `node bin/pendo-sync.js` or `esbuild --service=0.28.2`. */
  command: string;
  /** True for the process the monitor was started on. */
  isRoot: boolean;
  /** Last `VmHWM` read: the kernel's peak RSS of this process, in kB. */
  peakRssKb: number;
  /** Last user plus system CPU time read, in seconds. */
  cpuSeconds: number;
}

/** Memory and CPU of a process tree over the time it was polled. */
export interface TreeReport {
  processes: MonitoredProcess[];
  /** Largest sum of `VmRSS` over the tree in one poll, in kB. */
  treePeakRssKb: number;
  samples: number;
}

export interface TreeMonitor {
  /** Returns what was seen so far, without stopping. */
  snapshot(): TreeReport;
  /** Stops polling and returns what was seen. Call it after the root process has exited. */
  stop(): Promise<TreeReport>;
}

async function describeCommand(pid: number, fallback: string): Promise<string> {
  try {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    const [program, first] = argv;
    if (!program) return fallback;
    return [path.basename(program), first].filter(Boolean).join(' ');
  } catch {
    return fallback;
  }
}

/**
 * Polls `/proc` for `rootPid` and all its descendants every `intervalMs`. Because `VmHWM` is
 * the kernel's own peak, the last value read before a process exits is its peak RSS, short
 * only by growth in its last interval. A child that starts and exits between two polls is
 * missed.
 */
export function monitorProcessTree(rootPid: number, intervalMs = 100): TreeMonitor {
  const seen = new Map<number, MonitoredProcess>();
  const names = new Map<number, string>();
  let treePeakRssKb = 0;
  let samples = 0;
  let stopped = false;

  const sample = async (): Promise<void> => {
    let treeRssKb = 0;
    for (const pid of [rootPid, ...(await listDescendants(rootPid))]) {
      const memory = await readProcessMemory(pid);
      if (memory === null) continue;
      const cpu = await readProcessCpu(pid);
      let entry = seen.get(pid);
      // A child seen between fork and exec still shows its parent's command, so the command is
      // read again whenever the process name changes.
      if (!entry || names.get(pid) !== memory.name) {
        const command = await describeCommand(pid, memory.name);
        entry ??= { pid, command, isRoot: pid === rootPid, peakRssKb: 0, cpuSeconds: 0 };
        entry.command = command;
        names.set(pid, memory.name);
        seen.set(pid, entry);
      }
      entry.peakRssKb = Math.max(entry.peakRssKb, memory.peakRssKb);
      entry.cpuSeconds = Math.max(entry.cpuSeconds, cpu?.ownSeconds ?? 0);
      treeRssKb += memory.rssKb;
    }
    treePeakRssKb = Math.max(treePeakRssKb, treeRssKb);
    samples += 1;
  };

  const loop = (async () => {
    while (!stopped) {
      await sample();
      await sleep(intervalMs);
    }
  })();

  const snapshot = (): TreeReport => ({
    processes: [...seen.values()].map((entry) => ({ ...entry })),
    treePeakRssKb,
    samples,
  });
  return {
    snapshot,
    stop: async () => {
      stopped = true;
      await loop;
      return snapshot();
    },
  };
}

/** Returns the root process of a report, or undefined when it was never seen. */
export function rootOf(report: TreeReport): MonitoredProcess | undefined {
  return report.processes.find((process) => process.isRoot);
}

/** Returns the processes of a report other than its root. */
export function helpersOf(report: TreeReport): MonitoredProcess[] {
  return report.processes.filter((process) => !process.isRoot);
}

/** Returns the CPU seconds of every process of a report, added up. */
export function cpuSecondsOf(report: TreeReport): number {
  return report.processes.reduce((total, process) => total + process.cpuSeconds, 0);
}
