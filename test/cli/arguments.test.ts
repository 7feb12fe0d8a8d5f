import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, runCli } from './helpers';

describe('CLI argument errors', () => {
  let busy: net.Server;
  let busyPort: number;

  beforeAll(async () => {
    busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  });

  it.each(['abc', '0', '-1', '2.5', '1001', '1e3', '0x10', ' 5', '1_000'])(
    'rejects status --limit %j',
    async (limit) => {
      const result = await runCli(['status', '--limit', limit], cliEnvironment({}));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `Invalid --limit ${JSON.stringify(limit)}: expected a whole number from 1 to 1000, in digits.`,
      );
    },
  );

  it.each([
    ['an invalid log level', ['sync', '--log-level', 'loud'], "argument 'loud' is invalid"],
    ['an unknown option', ['sync', '--bogus'], "unknown option '--bogus'"],
    ['an extra argument', ['status', 'extra'], 'too many arguments'],
    ['an unknown command', ['nosuch'], "unknown command 'nosuch'"],
  ])('exits 2 on %s', async (_label, args, message) => {
    const result = await runCli(args, cliEnvironment({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: pendo-sync');
  });

  it('exits 0 on --help', async () => {
    const result = await runCli(['sync', '--help'], cliEnvironment({}));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: pendo-sync sync');
  });

  it('names a busy simulator port', async () => {
    const result = await runCli(['simulator', '--port', String(busyPort)], cliEnvironment({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Port ${busyPort} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain('--port 0');
  });
});
