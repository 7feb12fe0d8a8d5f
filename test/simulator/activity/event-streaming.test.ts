import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../src/simulator/index';
import type { PendoRecord } from '../../../src/types';
import { ALL_APPS, eventSource, startActivitySimulator } from './activity-helpers';

// About a third of the event rows are page events, so six days hold about 12,000 rows (about
// 6 MB of JSON), enough for a body of many chunks. Rows per second and RSS at a million rows
// are measured by bench/components/event-streaming.ts.
const EVENTS_PER_DAY = 6_000;
/** Local midnights in New York: six days of page events. */
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
  it('streams every row in order', async () => {
    const body = {
      request: {
        pipeline: [
          eventSource('pageEvents', ALL_APPS, { period: 'dayRange', first: FIRST_DAY, count: 6 }),
        ],
      },
    };
    const response = await fetch(`${sim.url}/api/v1/aggregation`, {
      method: 'POST',
      headers: { 'x-pendo-integration-key': sim.apiKey, 'accept-encoding': 'identity' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('response has no body');
    const decoder = new TextDecoder();
    let chunks = 0;
    let text = '';
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks += 1;
      text += decoder.decode(read.value as Uint8Array, { stream: true });
    }
    text += decoder.decode();
    const rows = (JSON.parse(text) as { results: PendoRecord[] }).results;

    // The truth is computed after the stream: a long synchronous pause before a request can
    // race the server's keep-alive timeout on a reused connection.
    const query = { source: 'pageEvents', period: 'day', from: FIRST_DAY, to: END } as const;
    const totals = sim.eventTotals(query);
    const expectedCount = totals.reduce((total, bucket) => total + bucket.rows, 0);
    expect(totals).toHaveLength(6);
    expect(expectedCount).toBeGreaterThan(6_000);
    expect(chunks).toBeGreaterThan(1);
    expect(rows).toHaveLength(expectedCount);
    expect(rows).toEqual([...sim.eventRows(query)]);
  });
});
