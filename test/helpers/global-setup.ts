import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { silentLogger } from '../../src/log';
import { findFreePort } from './free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a database on the test server whose role may create and drop databases. */
    adminDatabaseUrl: string;
  }
}

/**
 * Starts one embedded PostgreSQL server for the whole test run, unless TEST_DATABASE_URL
 * names a server to use instead, and shares its URL with the test files. Each test file
 * then creates its own database (see `createTestDatabase`).
 */
export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const existingUrl = process.env.TEST_DATABASE_URL;
  if (existingUrl) {
    provide('adminDatabaseUrl', existingUrl);
    return async () => {};
  }
  const dataRoot = await mkdtemp(path.join(os.tmpdir(), 'pendo-sync-test-'));
  // mkdtemp creates the folder with mode 0700; as root the server runs as `postgres`, which
  // must be able to enter it.
  await chmod(dataRoot, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dataRoot, 'data'),
    port: await findFreePort(),
    logger: silentLogger,
  }).catch(async (error: unknown) => {
    await rm(dataRoot, { recursive: true, force: true });
    throw error;
  });
  provide('adminDatabaseUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dataRoot, { recursive: true, force: true });
  };
}
