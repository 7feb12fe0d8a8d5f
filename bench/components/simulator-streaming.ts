/**
 * Streams every guide from the simulator's list endpoint (`GET /api/v1/guide?expand=*`) and
 * reads the body chunk by chunk without keeping it. Reports throughput and RSS growth of the
 * process, which contains both the simulator and the reader.
 * Run: `npx tsx bench/components/simulator-streaming.ts [--quick]`.
 */
import { startSimulator } from '../../src/simulator/index';
import {
  RssTracker,
  count,
  isQuick,
  megabytes,
  printResult,
  processPeakRss,
  timed,
} from './measure';
import { countMarkers } from './simulator-requests';

const GUIDES = isQuick() ? 8_000 : 80_000;
const MARKER = '"kind":"Guide"';

async function main(): Promise<void> {
  const sim = await startSimulator({ seed: 'bench', sizes: { guides: GUIDES } });
  const rss = new RssTracker();
  const { value: streamed, ms } = await timed(async () => {
    const response = await fetch(`${sim.url}/api/v1/guide?expand=*`, {
      headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': 'identity' },
    });
    return countMarkers(response, MARKER, rss);
  });
  await sim.close();
  if (streamed.records !== GUIDES) {
    throw new Error(`Expected ${GUIDES} guides in the body, counted ${streamed.records}.`);
  }

  const seconds = ms / 1000;
  printResult({
    name: 'simulator-streaming',
    workload: `simulator list endpoint, ${count(GUIDES)} guides (${megabytes(streamed.bytes)})`,
    figures: [
      { measure: 'wall time', value: `${seconds.toFixed(1)} s` },
      { measure: 'throughput', value: `${(streamed.bytes / 1e6 / seconds).toFixed(1)} MB/s` },
      { measure: 'guides/s', value: count(GUIDES / seconds) },
      { measure: 'RSS growth (peak − baseline)', value: megabytes(rss.growth) },
      { measure: 'process peak RSS', value: megabytes(processPeakRss()) },
    ],
  });
}

await main();
