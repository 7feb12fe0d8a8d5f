import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, testClient } from './helpers/test-server';
import type { TestServer } from './helpers/test-server';

const BODY_BYTES = 200 * 1024 * 1024;
const RECORDS_PER_WRITE = 500;
// Buffering the 200 MB body, or the records parsed from it, would grow RSS by far more.
const MAX_RSS_GROWTH_BYTES = 150 * 1024 * 1024;

function record(index: number): string {
  return JSON.stringify({
    id: `feature-${index.toString(36).padStart(8, '0')}`,
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
  it('stream 200 MB with flat memory', async () => {
    let sent = 0;
    server = await startTestServer(async (_req, res) => {
      sent = await writeLargeArray(res);
    });
    const client = testClient(server);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let count = 0;
    let lastId = '';
    for await (const batch of client.listObjects('feature', { expandAllApps: true })) {
      count += batch.length;
      lastId = String(batch[batch.length - 1]?.id);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const growth = peak - baseline;
    console.log(
      `200 MB body: ${count} records, RSS baseline ${(baseline / 2 ** 20).toFixed(0)} MB, ` +
        `peak ${(peak / 2 ** 20).toFixed(0)} MB, growth ${(growth / 2 ** 20).toFixed(0)} MB`,
    );
    expect(count).toBe(sent);
    expect(lastId).toBe(`feature-${(sent - 1).toString(36).padStart(8, '0')}`);
    expect(growth).toBeLessThan(MAX_RSS_GROWTH_BYTES);
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
    console.log(`written while the consumer waited: ${(whileWaiting / 2 ** 20).toFixed(1)} MB`);
    // Socket and stream buffers hold a few MB; without backpressure the server would write
    // its whole body of over 1 GB.
    expect(whileWaiting).toBeLessThan(32 * 1024 * 1024);
  });
});
