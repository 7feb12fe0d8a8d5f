import type { Simulator } from '../../src/simulator/index';
import type { PendoRecord } from '../../src/types';
import type { RssTracker } from './measure';

/** Posts an aggregation pipeline to the simulator and returns its `results`. */
export async function aggregate(sim: Simulator, pipeline: unknown[]): Promise<PendoRecord[]> {
  const response = await fetch(`${sim.url}/api/v1/aggregation`, {
    method: 'POST',
    headers: { 'x-pendo-integration-key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ response: { mimeType: 'application/json' }, request: { pipeline } }),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`Aggregation failed with status ${response.status}: ${text.slice(0, 300)}`);
  }
  return (JSON.parse(text) as { results: PendoRecord[] }).results;
}

/**
 * Reads a response body chunk by chunk without keeping it, counting occurrences of `marker`
 * (one per record) and sampling RSS after each chunk.
 */
export async function countMarkers(
  response: Response,
  marker: string,
  rss: RssTracker,
): Promise<{ records: number; bytes: number }> {
  if (response.status !== 200) {
    throw new Error(`Request failed with status ${response.status}: ${await response.text()}`);
  }
  const reader = response.body?.getReader();
  if (!reader) throw new Error('The response has no body.');
  const decoder = new TextDecoder();
  let records = 0;
  let bytes = 0;
  let tail = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    const chunk = read.value as Uint8Array;
    bytes += chunk.length;
    const text = tail + decoder.decode(chunk, { stream: true });
    records += text.split(marker).length - 1;
    // Keeps one character less than the marker, so a marker split across chunks counts once.
    tail = text.slice(-(marker.length - 1));
    rss.sample();
  }
  return { records, bytes };
}
