/**
 * Preloaded into a sync process by `npm run bench -- --sample-memory` (`node --import tsx
 * --import ./bench/memory-sampler.ts …`). Every 100 ms it reads `process.memoryUsage()`, and at
 * exit it writes the largest value of each field, and the sample at the largest RSS, as JSON to
 * the file named by BENCH_MEMORY_FILE. It does nothing when that variable is unset.
 */
import { writeFileSync } from 'node:fs';

/** One `process.memoryUsage()` reading, in bytes, with its time since start in milliseconds. */
export interface MemorySample {
  atMs: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Summary that the sampler writes at exit. */
export interface MemorySummary {
  samples: number;
  /** Largest value of each field over all samples; the fields may peak at different times. */
  max: MemorySample;
  /** The sample with the largest RSS. */
  atPeakRss: MemorySample;
}

const SAMPLE_INTERVAL_MS = 100;

function readSample(startedAt: number): MemorySample {
  const usage = process.memoryUsage();
  return {
    atMs: Math.round(performance.now() - startedAt),
    rss: usage.rss,
    heapTotal: usage.heapTotal,
    heapUsed: usage.heapUsed,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
  };
}

function startSampling(file: string): void {
  const startedAt = performance.now();
  const first = readSample(startedAt);
  const summary: MemorySummary = { samples: 1, max: { ...first }, atPeakRss: first };
  const sample = () => {
    const current = readSample(startedAt);
    summary.samples += 1;
    if (current.rss > summary.atPeakRss.rss) summary.atPeakRss = current;
    for (const key of Object.keys(current) as (keyof MemorySample)[]) {
      summary.max[key] = Math.max(summary.max[key], current[key]);
    }
  };
  setInterval(sample, SAMPLE_INTERVAL_MS).unref();
  process.once('exit', () => {
    sample();
    writeFileSync(file, `${JSON.stringify(summary)}\n`);
  });
}

const outputFile = process.env.BENCH_MEMORY_FILE;
if (outputFile) startSampling(outputFile);
