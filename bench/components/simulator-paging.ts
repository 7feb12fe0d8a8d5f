/**
 * Starts a simulator with many guides and pages through them with aggregation requests, as a
 * sync does. Reports start-up time, heap growth of the guide index, and page latency.
 * Run: `npx tsx bench/components/simulator-paging.ts [--quick]`.
 */
import type { Simulator } from '../../src/simulator/index';
import { startSimulator } from '../../src/simulator/index';
import type { PendoRecord } from '../../src/types';
import type { Figure } from './measure';
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

const GUIDES = isQuick() ? 40_000 : 400_000;
const PAGE_SIZE = 5000;
const PAGES = 10;
const ALL = { appId: 'expandAppIds("*")' };

/** Pages on (lastUpdatedAt, id), selecting only the cursor keys; returns each page's ms. */
async function pageOnTimeAndId(sim: Simulator): Promise<number[]> {
  const latencies: number[] = [];
  let filter = 'lastUpdatedAt >= 0';
  for (let page = 0; page < PAGES; page++) {
    const { value: rows, ms } = await timed(() =>
      aggregate(sim, [
        { source: { guides: ALL } },
        { filter },
        { sort: ['lastUpdatedAt', 'id'] },
        { limit: PAGE_SIZE },
        { select: { id: 'id', lastUpdatedAt: 'lastUpdatedAt' } },
      ]),
    );
    latencies.push(ms);
    const last: PendoRecord | undefined = rows[rows.length - 1];
    if (rows.length < PAGE_SIZE || !last) break;
    const time = Number(last.lastUpdatedAt);
    filter = `lastUpdatedAt > ${time} || (lastUpdatedAt == ${time} && id > ${JSON.stringify(last.id)})`;
  }
  return latencies;
}

/** Pages on id alone, selecting only the id; returns each page's ms. */
async function pageOnId(sim: Simulator): Promise<number[]> {
  const latencies: number[] = [];
  let last = '';
  for (let page = 0; page < PAGES; page++) {
    const { value: rows, ms } = await timed(() =>
      aggregate(sim, [
        { source: { guides: ALL } },
        { filter: `id > ${JSON.stringify(last)}` },
        { sort: ['id'] },
        { limit: PAGE_SIZE },
        { select: { id: 'id' } },
      ]),
    );
    latencies.push(ms);
    if (rows.length < PAGE_SIZE) break;
    last = String(rows[rows.length - 1]?.id);
  }
  return latencies;
}

/** Figures for a series of pages: the first page, which also sorts, apart from the rest. */
function pageFigures(label: string, latencies: number[]): Figure[] {
  const later = latencies.slice(1);
  return [
    { measure: `${label}: first page`, value: milliseconds(latencies[0] ?? Number.NaN) },
    {
      measure: `${label}: pages 2–${latencies.length}, median / max`,
      value: `${milliseconds(median(later))} / ${milliseconds(maximum(later))}`,
    },
  ];
}

async function main(): Promise<void> {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const { value: sim, ms: startupMs } = await timed(() =>
    startSimulator({ seed: 'bench', sizes: { guides: GUIDES } }),
  );
  collectGarbage();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

  const byTimeAndId = await pageOnTimeAndId(sim);
  const byId = await pageOnId(sim);
  const middle = sim.clock.now() - 200 * 24 * 3600 * 1000;
  const { value: fullRows, ms: fullPageMs } = await timed(() =>
    aggregate(sim, [
      { source: { guides: ALL } },
      { filter: `lastUpdatedAt > ${middle}` },
      { sort: ['lastUpdatedAt', 'id'] },
      { limit: PAGE_SIZE },
    ]),
  );
  await sim.close();

  printResult({
    name: 'simulator-paging',
    workload: `simulator aggregation, ${count(GUIDES)} guides, pages of ${count(PAGE_SIZE)}`,
    figures: [
      { measure: 'start-up', value: milliseconds(startupMs) },
      { measure: 'heap growth after start-up (after GC)', value: megabytes(heapGrowth) },
      ...pageFigures('keyset on (lastUpdatedAt, id), cursor keys only', byTimeAndId),
      ...pageFigures('keyset on id, id only', byId),
      {
        measure: `one page of ${count(fullRows.length)} full guides`,
        value: milliseconds(fullPageMs),
      },
      { measure: 'process peak RSS', value: megabytes(processPeakRss()) },
    ],
  });
}

await main();
