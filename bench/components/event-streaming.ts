/**
 * Streams six days of page events from the simulator's aggregation endpoint (about a million
 * rows in a full run) and reads the body chunk by chunk without keeping it. Reports rows per
 * second and RSS growth of the process, which contains both the simulator and the reader.
 * Run: `npx tsx bench/components/event-streaming.ts [--quick]`.
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

// About a third of the event rows are page events.
const EVENTS_PER_DAY = isQuick() ? 50_000 : 500_000;
const DAYS = 6;
const MARKER = '"numEvents":';
/**
 * Local midnight in New York, the simulator's default time zone. The six days end before
 * daylight saving time ends on 1 November 2026, so each of them is 24 hours long.
 */
const FIRST_DAY = Date.UTC(2026, 9, 24, 4);
const DAY_MS = 24 * 60 * 60 * 1000;

async function main(): Promise<void> {
  const sim = await startSimulator({
    seed: 'bench',
    sizes: { guides: 40, features: 60, pages: 30, track_types: 10, reports: 4, segments: 3 },
    eventsPerDay: EVENTS_PER_DAY,
  });
  const pipeline = [
    {
      source: {
        pageEvents: { appId: 'expandAppIds("*")' },
        timeSeries: { period: 'dayRange', first: FIRST_DAY, count: DAYS },
      },
    },
  ];
  const rss = new RssTracker();
  const { value: streamed, ms } = await timed(async () => {
    const response = await fetch(`${sim.url}/api/v1/aggregation`, {
      method: 'POST',
      headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': 'identity' },
      body: JSON.stringify({ request: { pipeline } }),
    });
    return countMarkers(response, MARKER, rss);
  });
  const totals = sim.eventTotals({
    source: 'pageEvents',
    period: 'day',
    from: FIRST_DAY,
    to: FIRST_DAY + DAYS * DAY_MS,
  });
  await sim.close();
  const expected = totals.reduce((total, bucket) => total + bucket.rows, 0);
  if (streamed.records !== expected) {
    throw new Error(`Expected ${expected} event rows in the body, counted ${streamed.records}.`);
  }

  const seconds = ms / 1000;
  printResult({
    name: 'event-streaming',
    workload:
      `simulator aggregation, ${DAYS} days of page events at ${count(EVENTS_PER_DAY)} ` +
      `events/day: ${count(expected)} rows (${megabytes(streamed.bytes)})`,
    figures: [
      { measure: 'wall time', value: `${seconds.toFixed(1)} s` },
      { measure: 'rows/s', value: count(expected / seconds) },
      { measure: 'throughput', value: `${(streamed.bytes / 1e6 / seconds).toFixed(1)} MB/s` },
      { measure: 'RSS growth (peak − baseline)', value: megabytes(rss.growth) },
      { measure: 'process peak RSS', value: megabytes(processPeakRss()) },
    ],
  });
}

await main();
