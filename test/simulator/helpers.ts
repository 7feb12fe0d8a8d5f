import http from 'node:http';
import type { Simulator, SimulatorOptions } from '../../src/simulator/index';
import { startSimulator } from '../../src/simulator/index';
import type { PendoRecord } from '../../src/types';

/** Starts a simulator with small sizes; `options` may override any of them. */
export function startSmallSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({
    seed: 'test-seed',
    sizes: { guides: 40, features: 60, pages: 30, track_types: 10, reports: 8, segments: 6 },
    ...options,
  });
}

/** GETs a path under the simulator with its key and returns the status and text. */
export async function getText(
  sim: Simulator,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${sim.url}${path}`, {
    headers: { 'x-pendo-integration-key': sim.apiKey, ...headers },
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

export async function getJson<T = PendoRecord[]>(sim: Simulator, path: string): Promise<T> {
  const { status, text } = await getText(sim, path);
  if (status !== 200) throw new Error(`GET ${path} returned ${status}: ${text}`);
  return JSON.parse(text) as T;
}

/** POSTs an aggregation request body (any JSON, or raw text) and returns status, text and content type. */
export async function postAggregation(
  sim: Simulator,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; contentType: string }> {
  const response = await fetch(`${sim.url}/api/v1/aggregation`, {
    method: 'POST',
    headers: {
      'x-pendo-integration-key': sim.apiKey,
      'content-type': 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    text: await response.text(),
    contentType: response.headers.get('content-type') ?? '',
  };
}

/** Runs a pipeline and returns `results`; fails the test on any status but 200. */
export async function aggregate(sim: Simulator, pipeline: unknown[]): Promise<PendoRecord[]> {
  const { status, text } = await postAggregation(sim, {
    response: { mimeType: 'application/json' },
    request: { pipeline },
  });
  if (status !== 200) throw new Error(`aggregation returned ${status}: ${text}`);
  return (JSON.parse(text) as { results: PendoRecord[] }).results;
}

/** Sends a request with node:http, which (unlike fetch) lets a test set the Host header. */
export function rawRequest(
  sim: Simulator,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: sim.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Returns the ids of records, in order. */
export function ids(records: PendoRecord[]): string[] {
  return records.map((record) => String(record.id));
}
