import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** A child process whose standard output and error go to files. */
export interface LoggedChild {
  child: ChildProcess;
  pid: number;
  stdoutFile: string;
  stderrFile: string;
  /** Settles when the process exits, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Children started by this process that have not exited yet, so a signal handler can stop them. */
const running = new Set<LoggedChild>();

/** Starts `node <args>` in `cwd` with `env`, writing its output to `<logPrefix>.stdout|stderr.log`. */
export async function spawnNode(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logPrefix: string },
): Promise<LoggedChild> {
  const stdoutFile = `${options.logPrefix}.stdout.log`;
  const stderrFile = `${options.logPrefix}.stderr.log`;
  const stdout = createWriteStream(stdoutFile);
  const stderr = createWriteStream(stderrFile);
  await Promise.all([once(stdout, 'open'), once(stderr, 'open')]);
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', stdout, stderr],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    },
  );
  // Node duplicated the file descriptors into the child, so the parent's copies can close.
  stdout.close();
  stderr.close();
  if (child.pid === undefined) {
    await exited;
    throw new Error(`Starting node ${args.join(' ')} failed: no process id`);
  }
  const logged = { child, pid: child.pid, stdoutFile, stderrFile, exited };
  running.add(logged);
  child.once('exit', () => running.delete(logged));
  return logged;
}

/** Returns whether the child has exited, without waiting. */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Stops a child: SIGTERM, then SIGKILL when it is still running after `graceMs`. Returns once
 * it has exited, or after the SIGKILL wait of 5 s.
 */
export async function stopChild(logged: LoggedChild, graceMs = 10_000): Promise<void> {
  if (hasExited(logged.child)) return;
  const timeout = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
  logged.child.kill('SIGTERM');
  await Promise.race([logged.exited.catch(() => undefined), timeout(graceMs)]);
  if (hasExited(logged.child)) return;
  logged.child.kill('SIGKILL');
  await Promise.race([logged.exited.catch(() => undefined), timeout(5_000)]);
}

/** Stops every child started by spawnNode that is still running. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((logged) => stopChild(logged)));
}

/** Returns the last `lines` lines of a log file, or an empty string when it cannot be read. */
export async function tailFile(file: string, lines = 20): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
