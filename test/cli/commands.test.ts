import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireSyncLock } from '../../src/db/lock';
import { startSimulator } from '../../src/simulator/index';
import type { Simulator } from '../../src/simulator/index';
import { CATALOG_ENTITIES } from '../../src/types';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import type { CliResult } from './helpers';
import { cliEnvironment, runCli, withPassword } from './helpers';

const SIZES = { guides: 30, features: 40, pages: 20, track_types: 8, reports: 6, segments: 4 };

describe('pendo-sync command', () => {
  let simulator: Simulator;
  let database: TestDatabase;
  let password: string;

  /** Builds the environment of a sync from the test simulator into the test database. */
  function syncEnvironment(variables: Record<string, string> = {}): NodeJS.ProcessEnv {
    return cliEnvironment({
      DATABASE_URL: database.url,
      PENDO_API_KEY: simulator.apiKey,
      PENDO_BASE_URL: simulator.url,
      // Event streams have their own test file; here a plain `sync` reads only entities.
      SYNC_STREAMS: 'none',
      ...variables,
    });
  }

  function output(result: CliResult): string {
    return `${result.stdout}\n${result.stderr}`;
  }

  beforeAll(async () => {
    simulator = await startSimulator({ seed: 'cli-test', sizes: SIZES });
    database = await createTestDatabase();
    password = decodeURIComponent(new URL(database.url).password);
  });

  afterAll(async () => {
    await simulator.close();
    await database.drop();
  });

  describe('invalid configuration', () => {
    it('names an unknown entity', async () => {
      const result = await runCli(['sync', '--entities', 'guides,nosuch'], syncEnvironment());
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('"nosuch"');
      expect(result.stderr).toContain('--entities');
    });

    it('names an unknown region', async () => {
      const env = syncEnvironment({ PENDO_REGION: 'mars' });
      delete env.PENDO_BASE_URL;
      const result = await runCli(['sync'], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('PENDO_REGION');
      expect(result.stderr).toContain('mars');
      // The region is checked before any request, so no request reached Pendo.
      expect(result.stderr).not.toContain('app.pendo.io');
    });

    it('masks an invalid DATABASE_URL', async () => {
      const url = 'mysql://reader:Sup3rSecretPw@127.0.0.1:3306/catalog';
      const result = await runCli(['sync'], syncEnvironment({ DATABASE_URL: url }));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('DATABASE_URL');
      expect(result.stderr).toContain('***');
      expect(output(result)).not.toContain('Sup3rSecretPw');
    });

    it('masks a password query parameter', async () => {
      const url = 'postgres://bob@127.0.0.1:1/db?password=QuerySecret9';
      const result = await runCli(['sync'], syncEnvironment({ DATABASE_URL: url }));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Could not connect to the database in DATABASE_URL');
      expect(result.stderr).toContain('password=***');
      expect(output(result)).not.toContain('QuerySecret9');
    });

    it('masks a key=value DATABASE_URL', async () => {
      const url = 'host=127.0.0.1 port=1 password=KvSecret1';
      const result = await runCli(['sync'], syncEnvironment({ DATABASE_URL: url }));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('not a valid PostgreSQL URL');
      expect(output(result)).not.toContain('KvSecret1');
    });

    it.each([
      ['a # in the password', 'postgres://alice:S3cret#Pw9@127.0.0.1:1/db', 'S3cret#Pw9'],
      ['a space in the password', 'postgres://alice:S3cret Pw8@127.0.0.1:1/db', 'S3cret Pw8'],
      ['a / and ? in the password', 'postgres://alice:S3c/ret?Pw7@127.0.0.1:1/db', 'S3c/ret?Pw7'],
      ['a bare password', 'S3cretBarePw6', 'S3cretBarePw6'],
      [
        'an encoded parameter name',
        'postgres://bob@127.0.0.1:1/db?pass%77ord=S3cretQ5',
        'S3cretQ5',
      ],
    ])('keeps a DATABASE_URL with %s out of sync and database output', async (_l, url, secret) => {
      for (const command of ['sync', 'database']) {
        const result = await runCli([command], syncEnvironment({ DATABASE_URL: url }));
        expect(result.code, command).not.toBe(0);
        expect(result.stderr, command).toContain('DATABASE_URL');
        // No fragment of the password either, such as the part before a # or a space.
        for (const part of [secret, ...secret.split(/[^A-Za-z0-9]/)].filter((p) => p.length > 2))
          expect(output(result), `${command}: ${part}`).not.toContain(part);
      }
    });

    it('names DATABASE_URL on a rejected password', async () => {
      const url = withPassword(database.url, 'Wr0ngPassw0rdForTest');
      const result = await runCli(['sync'], syncEnvironment({ DATABASE_URL: url }));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('password authentication failed');
      expect(result.stderr).toContain(
        'Check the host, port, user, password and database name in DATABASE_URL',
      );
      expect(output(result)).not.toContain('Wr0ngPassw0rdForTest');
    });
  });

  describe('sync and status', () => {
    let sync: CliResult;
    let status: CliResult;

    beforeAll(async () => {
      sync = await runCli(['sync', '--log-level', 'debug'], syncEnvironment());
      status = await runCli(['status'], syncEnvironment());
    });

    it('completes the sync', () => {
      expect(sync.code).toBe(0);
      expect(sync.stdout).toMatch(/run [0-9a-f-]{36}: completed/);
    });

    it('prints one summary line per entity', () => {
      for (const entity of CATALOG_ENTITIES) {
        expect(sync.stdout, entity).toMatch(new RegExp(`^${entity}\\s+full\\s+completed`, 'm'));
      }
    });

    it('logs JSON lines on stderr', () => {
      const lines = sync.stderr.split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    });

    it('keeps secrets out of sync output', () => {
      expect(output(sync)).not.toContain(simulator.apiKey);
      expect(output(sync)).not.toContain(password);
    });

    it('prints the status tables', () => {
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/^entity\s+rows\s+deleted\s+last success\s+last run/m);
      expect(status.stdout).toContain('Recent runs:');
      for (const entity of CATALOG_ENTITIES) {
        const rows = SIZES[entity].toLocaleString('en-US');
        expect(status.stdout, entity).toMatch(new RegExp(`^${entity}\\s+${rows}\\s+0\\s`, 'm'));
      }
    });

    it('limits the recent runs with --limit', async () => {
      const limited = await runCli(['status', '--limit', '1'], syncEnvironment());
      expect(limited.code).toBe(0);
      const recent = (result: CliResult) => result.stdout.split('Recent runs:')[1] ?? '';
      const runRows = (result: CliResult) =>
        recent(result)
          .split('\n')
          .filter((line) => /\d{4}-\d{2}-\d{2}/.test(line)).length;
      expect(runRows(status)).toBeGreaterThan(1);
      expect(runRows(limited)).toBe(1);
    });

    it('keeps secrets out of status', () => {
      expect(output(status)).not.toContain(simulator.apiKey);
      expect(output(status)).not.toContain(password);
    });
  });

  describe('failed sync', () => {
    const WRONG_KEY = '0badc0de-5555-4aaa-8bbb-notthekey000';
    let result: CliResult;

    beforeAll(async () => {
      result = await runCli(['sync'], syncEnvironment({ PENDO_API_KEY: WRONG_KEY }));
    });

    it('exits 1', () => {
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/run [0-9a-f-]{36}: failed/);
    });

    it('prints the key hint', () => {
      expect(result.stdout).toContain('PENDO_API_KEY');
      expect(result.stdout).toContain('PENDO_REGION');
    });

    it('prints the rejected key once', () => {
      expect(result.stdout.match(/Pendo rejected the integration key/g)).toHaveLength(1);
      expect(result.stdout).toMatch(/guides, .* \(\d+ in all\): Pendo rejected/);
    });

    it('keeps the wrong key out', () => {
      expect(output(result)).not.toContain(WRONG_KEY);
      expect(output(result)).not.toContain(password);
    });
  });

  describe('sync lock', () => {
    it('exits 3 while another sync runs', async () => {
      const lock = await acquireSyncLock(database.pool);
      let result: CliResult;
      try {
        result = await runCli(['sync'], syncEnvironment());
      } finally {
        await lock.release();
      }
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('another pendo-sync sync is running');
      expect(result.stdout).not.toContain('completed');
    });
  });
});
