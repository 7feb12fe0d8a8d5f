/**
 * Streams one large generated JSON array through the Pendo client (`listObjects`) from a local
 * HTTP server in the same process, and reports throughput and RSS growth. The RSS figures cover
 * the server too. Run: `npx tsx bench/components/client-memory.ts [--quick]`.
 */
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/log';
import { createPendoClient } from '../../src/pendo/client';
import {
  RssTracker,
  count,
  isQuick,
  megabytes,
  printResult,
  processPeakRss,
  timed,
} from './measure';

const BODY_BYTES = (isQuick() ? 20 : 200) * 1024 * 1024;
const RECORDS_PER_WRITE = 500;

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

/**
 * Writes a JSON array of about BODY_BYTES, waiting for 'drain' so the server does not buffer.
 * Returns the bytes written.
 */
async function writeLargeArray(res: ServerResponse): Promise<number> {
  res.writeHead(200, { 'content-type': 'application/json' });
  let written = 0;
  let index = 0;
  res.write('[');
  while (written < BODY_BYTES && !res.destroyed) {
    const parts: string[] = [];
    for (let i = 0; i < RECORDS_PER_WRITE; i++) parts.push(record(index++));
    const chunk = (index > RECORDS_PER_WRITE ? ',' : '') + parts.join(',');
    written += chunk.length;
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end(']');
  return written + 2;
}

async function main(): Promise<void> {
  let bytesSent = 0;
  const server = createServer((_req, res) => {
    writeLargeArray(res)
      .then((bytes) => {
        bytesSent = bytes;
      })
      .catch((error: unknown) => res.destroy(error as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = createPendoClient({
    apiKey: 'bench-key',
    baseUrl: `http://127.0.0.1:${port}`,
    logger: silentLogger,
    maxAttempts: 1,
  });

  const rss = new RssTracker();
  const { value: records, ms } = await timed(async () => {
    let records = 0;
    for await (const batch of client.listObjects('feature', { expandAllApps: true })) {
      records += batch.length;
      rss.sample();
    }
    return records;
  });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));

  const seconds = ms / 1000;
  printResult({
    name: 'client-memory',
    workload: `Pendo client, one ${megabytes(bytesSent)} JSON array from a local server`,
    figures: [
      { measure: 'records', value: count(records) },
      { measure: 'wall time', value: `${seconds.toFixed(1)} s` },
      { measure: 'throughput', value: `${(bytesSent / 1e6 / seconds).toFixed(1)} MB/s` },
      { measure: 'records/s', value: count(records / seconds) },
      { measure: 'RSS growth (peak − baseline)', value: megabytes(rss.growth) },
      { measure: 'process peak RSS', value: megabytes(processPeakRss()) },
    ],
  });
}

await main();
