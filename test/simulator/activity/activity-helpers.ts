import type { Simulator, SimulatorOptions } from '../../../src/simulator/index';
import { startSimulator } from '../../../src/simulator/index';
import type { PendoRecord } from '../../../src/types';
import { postAggregation } from '../helpers';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;
export const ALL_APPS = { appId: 'expandAppIds("*")' };

/** Starts a simulator with a small catalog and the given people and event options. */
export function startActivitySimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({
    seed: 'activity-seed',
    sizes: { guides: 40, features: 60, pages: 30, track_types: 10, reports: 4, segments: 3 },
    ...options,
  });
}

/** Runs a pipeline and returns status and parsed results (or the error text). */
export async function tryAggregate(
  sim: Simulator,
  pipeline: unknown[],
): Promise<{ status: number; text: string; results: PendoRecord[] }> {
  const { status, text } = await postAggregation(sim, { request: { pipeline } });
  const results = status === 200 ? (JSON.parse(text) as { results: PendoRecord[] }).results : [];
  return { status, text, results };
}

/** Builds an event source stage: `{source: {name: params, timeSeries}}`. */
export function eventSource(
  name: string,
  params: Record<string, unknown> | null,
  timeSeries: Record<string, unknown>,
): { source: Record<string, unknown> } {
  return { source: { [name]: params, timeSeries } };
}

/** Sums a numeric field over rows. */
export function sum(rows: PendoRecord[], field: string): number {
  return rows.reduce((total, row) => total + Number(row[field] ?? 0), 0);
}

/** Groups rows by a key field, returning the count of rows per key value. */
export function countBy(rows: PendoRecord[], field: string): Map<unknown, number> {
  const counts = new Map<unknown, number>();
  for (const row of rows) counts.set(row[field], (counts.get(row[field]) ?? 0) + 1);
  return counts;
}
