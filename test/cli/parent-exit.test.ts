import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort } from '../helpers/free-port';
import { CLI_PATH, REPO_ROOT, cliEnvironment } from './helpers';

/** Tells whether a server on 127.0.0.1:`port` accepts a TCP connection. */
function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** True while process `pid` runs; a zombie process not yet reaped counts as ended. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The state is the field after the parenthesised command name in /proc/PID/stat.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Polls every 100 ms until `check` returns true; returns false after `timeoutMs`. */
async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(100);
  }
  return check();
}

/** `npx pendo-sync …` killed with SIGTERM leaves the CLI re-parented. It must stop by itself. */
describe('a long-running command whose parent process ends', () => {
  let cliPid: number | undefined;

  afterEach(async () => {
    // SIGTERM first, so a CLI that failed the test still stops its embedded PostgreSQL.
    if (cliPid !== undefined && isRunning(cliPid)) {
      process.kill(cliPid, 'SIGTERM');
      const pid = cliPid;
      if (!(await waitUntil(() => !isRunning(pid), 20_000))) process.kill(pid, 'SIGKILL');
    }
    cliPid = undefined;
  }, 30_000);

  /**
   * Starts `pendo-sync ARGS` under a shell that plays the part of npm, waits for `readyText`, kills
   * the shell with SIGKILL and returns whether the CLI ended within 30 s, and its output.
   */
  async function killParentOf(
    args: string[],
    env: NodeJS.ProcessEnv,
    readyText: string,
  ): Promise<{ ended: boolean; stdout: string }> {
    const command = `"${process.execPath}" "${CLI_PATH}" ${args.join(' ')} & echo "pid=$!"; wait`;
    const parent = spawn('sh', ['-c', command], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    const ready = await waitUntil(() => stdout.includes(readyText), 90_000);
    expect(ready, stdout).toBe(true);
    cliPid = Number(/pid=(\d+)/.exec(stdout)?.[1]);
    expect(cliPid).toBeGreaterThan(0);

    parent.kill('SIGKILL');
    const ended = await waitUntil(() => !isRunning(cliPid!), 30_000);
    // The CLI keeps the pipe open until it exits, so its last line has arrived by now.
    await waitUntil(() => stdout.includes('Stopping'), 5_000);
    return { ended, stdout };
  }

  it('stops the simulator command as if it received SIGTERM', async () => {
    const { ended, stdout } = await killParentOf(
      ['simulator', '--port', '0'],
      cliEnvironment({}),
      'listening on',
    );
    expect(ended, `pendo-sync process ${cliPid} still runs`).toBe(true);
    expect(stdout).toContain('Stopping the simulator because the parent process ended.');
  }, 90_000);

  it('stops the database command and its embedded PostgreSQL', async () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'pendo-sync-parent-exit-'));
    // As root the server runs as the postgres user, which must be able to enter the folder.
    chmodSync(stateDir, 0o755);
    const port = await findFreePort();
    try {
      const env = cliEnvironment({
        PENDO_SYNC_STATE_DIR: stateDir,
        EMBEDDED_POSTGRES_PORT: String(port),
      });
      const { ended, stdout } = await killParentOf(['database'], env, 'runs until');
      expect(ended, `pendo-sync process ${cliPid} still runs`).toBe(true);
      expect(stdout).toContain(
        'Stopping the embedded PostgreSQL because the parent process ended.',
      );
      expect(await acceptsConnections(port)).toBe(false);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 150_000);
});
