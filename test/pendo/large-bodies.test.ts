import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, testClient } from './helpers/test-server';
import type { TestServer } from './helpers/test-server';

// Large enough for the body to arrive in many chunks and the client to yield many batches.
// Throughput and RSS growth on a 200 MB body are measured by bench/components/client-memory.ts.
const BODY_BYTES = 4 * 1024 * 1024;
const RECORDS_PER_WRITE = 500;

function recordId(index: number): string {
  return `feature-${index.toString(36).padStart(8, '0')}`;
}

function record(index: number): string {
  return JSON.stringify({
    id: recordId(index),
    kind: 'Feature',
    appId: -323232,
    name: `Feature number ${index} with "quotes" and \\ backslashes`,
    lastUpdatedAt: 1685322552149 + index,
    elementPathRules: ['#app .toolbar button.save', 'div[data-id="x"]'],
    group: { id: 'grp', name: 'Group', items: null },
  });
}

/** Writes a JSON array of about BODY_BYTES, waiting for 'drain' so the server does not buffer. */
async function writeLargeArray(res: ServerResponse): Promise<number> {
  res.writeHead(200, { 'content-type': 'application/json' });
  let written = 0;
  let index = 0;
  res.write('[');
  while (written < BODY_BYTES) {
    const parts: string[] = [];
    for (let i = 0; i < RECORDS_PER_WRITE; i++) parts.push(record(index++));
    const chunk = (index > RECORDS_PER_WRITE ? ',' : '') + parts.join(',');
    written += chunk.length;
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end(']');
  return index;
}

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('large bodies', () => {
  it('stream every record in order', async () => {
    let sent = 0;
    server = await startTestServer(async (_req, res) => {
      sent = await writeLargeArray(res);
    });
    const client = testClient(server);
    let batches = 0;
    const received: unknown[] = [];
    for await (const batch of client.listObjects('feature', { expandAllApps: true })) {
      batches += 1;
      for (const item of batch) received.push(item.id);
    }
    expect(sent).toBeGreaterThan(RECORDS_PER_WRITE);
    expect(received).toHaveLength(sent);
    expect(received).toEqual(Array.from({ length: sent }, (_, index) => recordId(index)));
    expect(batches).toBeGreaterThan(1);
  });

  it('stop the server writing while the consumer waits', async () => {
    let written = 0;
    server = await startTestServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const chunk = Array.from({ length: RECORDS_PER_WRITE }, (_, i) => record(i)).join(',');
      for (let i = 0; i < 10_000 && !res.destroyed; i++) {
        written += chunk.length + 1;
        const more = res.write((i > 0 ? ',' : '') + chunk);
        if (!more) await new Promise((resolve) => res.once('drain', resolve));
      }
    });
    const batches = testClient(server).listObjects('feature', { expandAllApps: true });
    await batches.next();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const whileWaiting = written;
    await batches.return(undefined);
    // Socket and stream buffers hold a few MB; without backpressure the server would write
    // its whole body of over 1 GB.
    expect(whileWaiting).toBeLessThan(32 * 1024 * 1024);
  });
});
