import { readFile } from 'node:fs/promises';
import os from 'node:os';

/** The machine a benchmark ran on. */
export interface Machine {
  cpuModel: string;
  /** Logical CPUs the process may use. */
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
}

async function readCpuModel(): Promise<string> {
  try {
    const cpuinfo = await readFile('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
    if (model) return model;
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export async function describeMachine(): Promise<Machine> {
  return {
    cpuModel: await readCpuModel(),
    cores: os.availableParallelism(),
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}
