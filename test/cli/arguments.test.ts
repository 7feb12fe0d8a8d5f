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

  it.each(['abc', '0', '-1', '2.5'])('rejects status --limit %s', async (limit) => {
    const result = await runCli(['status', '--limit', limit], cliEnvironment({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Invalid --limit ${JSON.stringify(limit)}`);
  });

  it('names a busy simulator port', async () => {
    const result = await runCli(['simulator', '--port', String(busyPort)], cliEnvironment({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Port ${busyPort} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain('--port 0');
  });
});
