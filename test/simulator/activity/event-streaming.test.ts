import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../src/simulator/index';
import { ALL_APPS, eventSource, startActivitySimulator } from './activity-helpers';

const EVENTS_PER_DAY = 500_000;
const MARKER = '"numEvents":';
/** Local midnights in New York: six days of page events, about a million rows. */
const FIRST_DAY = Date.UTC(2026, 9, 24, 4);
const END = Date.UTC(2026, 9, 30, 4);
let sim: Simulator;

beforeAll(async () => {
  sim = await startActivitySimulator({ eventsPerDay: EVENTS_PER_DAY });
});
afterAll(async () => {
  await sim.close();
});

describe('event streaming', () => {
  it('streams a million rows with bounded memory', async () => {
    const first = FIRST_DAY;
    const body = {
      request: {
        pipeline: [eventSource('pageEvents', ALL_APPS, { period: 'dayRange', first, count: 6 })],
      },
    };

    const baseline = process.memoryUsage().rss;
    const started = performance.now();
    const response = await fetch(`${sim.url}/api/v1/aggregation`, {
      method: 'POST',
      headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': 'identity' },
      body: JSON.stringify(body),
    });

    const reader = response.body?.getReader();
    if (!reader) throw new Error('response has no body');
    const decoder = new TextDecoder();
    let rows = 0;
    let bytes = 0;
    let tail = '';
    let peak = baseline;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const chunk = read.value as Uint8Array;
      bytes += chunk.length;
      const text = tail + decoder.decode(chunk, { stream: true });
      rows += text.split(MARKER).length - 1;
      tail = text.slice(-(MARKER.length - 1));
      peak = Math.max(peak, process.memoryUsage().rss);
    }

    const seconds = (performance.now() - started) / 1000;
    // The truth is computed after the stream: a long synchronous pause before a request can
    // race the server's keep-alive timeout on a reused connection.
    const totals = sim.eventTotals({ source: 'pageEvents', period: 'day', from: first, to: END });
    const expected = totals.reduce((total, bucket) => total + bucket.rows, 0);
    expect(expected).toBeGreaterThan(1_000_000);
    expect(rows).toBe(expected);

    // The body is about 430 MB; holding it or the rows would add far more than this bound.
    expect(peak - baseline).toBeLessThan(250e6);
    console.info(
      `streamed ${rows} rows (${Math.round(bytes / 1e6)} MB) in ${seconds.toFixed(1)} s, ` +
        `${Math.round(rows / seconds)} rows/s; RSS grew ${Math.round((peak - baseline) / 1e6)} MB`,
    );
  });
});
