import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Helpers to find and stop a PostgreSQL server that still runs on a data directory, from
 * its `postmaster.pid` file (line 1: the server's pid, line 2: its data directory).
 */

/**
 * File in the data directory naming the pendo-sync process that started the server: line 1
 * its pid, line 2 the server's TCP port on 127.0.0.1. Another pendo-sync process reads it to
 * connect to that server instead of starting a second one.
 */
export const OWNER_PID_FILE = 'pendo-sync-owner.pid';

/** Contents of OWNER_PID_FILE. */
export interface ServerOwner {
  pid: number;
  /** Port of the server; null in a file written before the port was recorded. */
  port: number | null;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readPid(file: string): Promise<number | null> {
  try {
    const firstLine = (await readFile(file, 'utf8')).split('\n')[0]?.trim() ?? '';
    const pid = Number(firstLine);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Returns the pid of the pendo-sync process recorded as the server's owner, if any. */
export function readOwnerPid(dataDir: string): Promise<number | null> {
  return readPid(path.join(dataDir, OWNER_PID_FILE));
}

/** Reads OWNER_PID_FILE: the owner's pid and the server's port, or null without the file. */
export async function readOwner(dataDir: string): Promise<ServerOwner | null> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, OWNER_PID_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const [pidLine, portLine] = text.split('\n').map((line) => Number(line.trim()));
  if (!Number.isSafeInteger(pidLine) || (pidLine ?? 0) <= 0) return null;
  const port =
    Number.isInteger(portLine) && (portLine ?? 0) > 0 && (portLine ?? 0) <= 65535
      ? (portLine as number)
      : null;
  return { pid: pidLine as number, port };
}

/** Writes OWNER_PID_FILE for this process and the server's port. */
export async function writeOwner(dataDir: string, port: number): Promise<void> {
  await writeFile(path.join(dataDir, OWNER_PID_FILE), `${process.pid}\n${port}\n`);
}

/**
 * Returns the pid of a PostgreSQL server that is running on `dataDir`, or null. A stale
 * `postmaster.pid` whose pid now belongs to another program is ignored: on Linux the
 * program's command line must name postgres.
 */
export async function findRunningServer(dataDir: string): Promise<number | null> {
  const pid = await readPid(path.join(dataDir, 'postmaster.pid'));
  if (pid === null || pid === process.pid || !isProcessAlive(pid)) return null;
  try {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes('postgres') ? pid : null;
  } catch {
    // No /proc (macOS): trust the live pid.
    return pid;
  }
}

/**
 * Returns true when `pid` has exited but its parent has not reaped it yet. A zombie still
 * accepts signal 0, so without this check a killed server looks alive until it is reaped.
 */
export async function isZombie(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Returns true when `pid` has exited, including a zombie that is not reaped yet. */
export async function hasExited(pid: number): Promise<boolean> {
  return !isProcessAlive(pid) || (await isZombie(pid));
}

/** Polls every 100 ms until `pid` has exited or `timeoutMs` has passed; returns whether it exited. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await hasExited(pid)) return true;
    await sleep(100);
  }
  return hasExited(pid);
}

/**
 * Removes `postmaster.pid` when the server it names was killed and is now a zombie, which
 * PostgreSQL would take for a running server and refuse to start. Returns its pid if it did.
 * This happens when a signal reaches the whole process group of a sync, as `timeout` sends.
 */
export async function removeZombieLock(dataDir: string): Promise<number | null> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  const pid = await readPid(lockFile);
  if (pid === null || !(await isZombie(pid))) return null;
  // Backends exit as soon as they notice that their postmaster died. They get time to do so
  // before the lock file goes, because it also guards the shared memory they use.
  await sleep(2000);
  await rm(lockFile, { force: true });
  return pid;
}

/**
 * Stops the server with the given pid: SIGINT (PostgreSQL's fast shutdown, which rolls back
 * open transactions and writes a checkpoint), then SIGKILL if it is still running after
 * `timeoutMs`. Throws when it survives both.
 */
export async function stopServerProcess(pid: number, timeoutMs = 15_000): Promise<void> {
  process.kill(pid, 'SIGINT');
  if (await waitForExit(pid, timeoutMs)) return;
  process.kill(pid, 'SIGKILL');
  if (await waitForExit(pid, 5_000)) return;
  throw new Error(`PostgreSQL server process ${pid} did not exit after SIGINT and SIGKILL`);
}
