import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where the CLI runs so that tsx finds the sources. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The `pendo-sync` command as installed: bin/pendo-sync.js. */
export const CLI_PATH = path.join(REPO_ROOT, 'bin', 'pendo-sync.js');

/** How a CLI process ended and what it printed. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** A CLI process still running, with its output so far. */
export interface CliProcess {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  exited: Promise<CliResult>;
}

/**
 * Builds the environment of a CLI process from scratch, so no PENDO_* or DATABASE_URL of the
 * machine leaks in. CI=1 selects JSON logs, and local state goes to a new temporary folder.
 */
export function cliEnvironment(variables: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    CI: '1',
    PENDO_SYNC_STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'pendo-sync-cli-')),
    ...variables,
  };
}

/** Starts `node bin/pendo-sync.js ARGS` with exactly `env`; SIGKILLs it after `timeoutMs`. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): CliProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started });
    });
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Runs the CLI to the end and returns its exit code and output. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 90_000,
): Promise<CliResult> {
  return spawnCli(args, env, timeoutMs).exited;
}

/** Replaces the password of a PostgreSQL URL. */
export function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}
