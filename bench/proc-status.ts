import { readFile, readdir } from 'node:fs/promises';

/**
 * Readers of Linux `/proc`: memory and CPU time of one process, and the pids of its children.
 * Each returns null or an empty list when the process has already exited.
 */

/** Clock ticks per second of `utime` and `stime` in `/proc/<pid>/stat`; 100 on Linux x64. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Memory of one process, in kB, from `/proc/<pid>/status`. */
export interface ProcessMemory {
  /** Process name (`Name:`), at most 15 characters. */
  name: string;
  /** Resident set size now (`VmRSS`). */
  rssKb: number;
  /** Peak resident set size since the process started (`VmHWM`). */
  peakRssKb: number;
}

function readKb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match?.[1] ? Number(match[1]) : 0;
}

export async function readProcessMemory(pid: number): Promise<ProcessMemory | null> {
  let status: string;
  try {
    status = await readFile(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const name = /^Name:\s+(.*)$/m.exec(status)?.[1]?.trim() ?? '?';
  return { name, rssKb: readKb(status, 'VmRSS'), peakRssKb: readKb(status, 'VmHWM') };
}

/** CPU time of one process, in seconds, from `/proc/<pid>/stat`. */
export interface ProcessCpu {
  /** User plus system time of the process itself. */
  ownSeconds: number;
  /** User plus system time of its children that it has waited for (reaped). */
  reapedChildrenSeconds: number;
}

export async function readProcessCpu(pid: number): Promise<ProcessCpu | null> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name in field 2 may contain spaces, so fields are counted after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14-17 of the stat line (utime, stime, cutime, cstime) sit at 11-14 here.
  const ticks = fields.slice(11, 15).map(Number);
  const [utime = 0, stime = 0, cutime = 0, cstime = 0] = ticks;
  return {
    ownSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND,
    reapedChildrenSeconds: (cutime + cstime) / CLOCK_TICKS_PER_SECOND,
  };
}

/** Returns the pids of the direct children of `pid`, from every thread's `children` file. */
export async function listChildren(pid: number): Promise<number[]> {
  let threads: string[];
  try {
    threads = await readdir(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children = new Set<number>();
  for (const thread of threads) {
    try {
      const text = await readFile(`/proc/${pid}/task/${thread}/children`, 'utf8');
      for (const child of text.split(' ')) if (child.trim()) children.add(Number(child));
    } catch {
      // The thread ended between readdir and readFile.
    }
  }
  return [...children];
}

/** Returns the pids of every descendant of `pid` (children, grandchildren, …), at most 1,000. */
export async function listDescendants(pid: number): Promise<number[]> {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && found.length < 1000) {
    const parent = queue.shift() ?? 0;
    for (const child of await listChildren(parent)) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}
