/**
 * Starts a simulator with many visitors and pages through them with aggregation requests, as a
 * sync does. Reports start-up time, heap growth and page latency.
 * Run: `npx tsx bench/components/people-paging.ts [--quick]`.
 */
import type { Simulator } from '../../src/simulator/index';
import { startSimulator } from '../../src/simulator/index';
import {
  collectGarbage,
  count,
  isQuick,
  maximum,
  median,
  megabytes,
  milliseconds,
  printResult,
  processPeakRss,
  timed,
} from './measure';
import { aggregate } from './simulator-requests';

const VISITORS = isQuick() ? 15_000 : 150_000;
const ACCOUNTS = isQuick() ? 500 : 5000;
const PAGE_SIZE = 5000;
const PAGES = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Pages identified visitors on visitorId; returns each page's ms. */
async function pageOnVisitorId(sim: Simulator): Promise<number[]> {
  const latencies: number[] = [];
  let last = '';
  for (let page = 0; page < PAGES; page++) {
    const { value: rows, ms } = await timed(() =>
      aggregate(sim, [
        { source: { visitors: { identified: true } } },
        { filter: `visitorId > ${JSON.stringify(last)}` },
        { sort: ['visitorId'] },
        { limit: PAGE_SIZE },
        { select: { visitorId: 'visitorId' } },
      ]),
    );
    latencies.push(ms);
    if (rows.length < PAGE_SIZE) break;
    last = String(rows[rows.length - 1]?.visitorId);
  }
  return latencies;
}

async function main(): Promise<void> {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const { value: sim, ms: startupMs } = await timed(() =>
    startSimulator({
      seed: 'bench',
      sizes: {
        ...{ guides: 40, features: 60, pages: 30, track_types: 10, reports: 4, segments: 3 },
        visitors: VISITORS,
        accounts: ACCOUNTS,
      },
    }),
  );
  collectGarbage();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

  const latencies = await pageOnVisitorId(sim);
  const later = latencies.slice(1);
  const since = sim.clock.now() - 30 * DAY_MS;
  const { value: updated, ms: lastUpdatedMs } = await timed(() =>
    aggregate(sim, [
      { source: { visitors: null } },
      { filter: `metadata.auto.lastupdated >= ${since}` },
      { sort: ['metadata.auto.lastupdated', 'visitorId'] },
      { limit: 2000 },
    ]),
  );
  await sim.close();

  printResult({
    name: 'people-paging',
    workload:
      `simulator aggregation, ${count(VISITORS)} visitors and ${count(ACCOUNTS)} accounts, ` +
      `pages of ${count(PAGE_SIZE)}`,
    figures: [
      { measure: 'start-up', value: milliseconds(startupMs) },
      { measure: 'heap growth after start-up (after GC)', value: megabytes(heapGrowth) },
      {
        measure: 'keyset on visitorId: first page (also sorts the ids)',
        value: milliseconds(latencies[0] ?? Number.NaN),
      },
      {
        measure: `keyset on visitorId: pages 2–${latencies.length}, median / max`,
        value: `${milliseconds(median(later))} / ${milliseconds(maximum(later))}`,
      },
      {
        measure: `lastupdated in 30 days, sorted, first ${count(updated.length)} rows`,
        value: milliseconds(lastUpdatedMs),
      },
      { measure: 'process peak RSS', value: megabytes(processPeakRss()) },
    ],
  });
}

await main();
