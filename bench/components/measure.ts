/**
 * Shared parts of the component benchmarks: the result format that each benchmark prints for
 * bench/components/run.ts, memory and time readings, and the --quick flag.
 */
import { parseArgs } from 'node:util';

/** Prefix of the stdout line that carries a benchmark's result as JSON. */
export const RESULT_PREFIX = 'BENCH_COMPONENT_RESULT ';

/** One measured figure, already formatted with its unit. */
export interface Figure {
  measure: string;
  value: string;
}

/** Result of one benchmark: its name, the workload it ran and its figures. */
export interface ComponentResult {
  name: string;
  workload: string;
  figures: Figure[];
}

/**
 * Returns whether the command line requests the smaller `--quick` sizes. Throws on any other
 * argument, so a mistyped flag does not run the full sizes.
 */
export function isQuick(argv: string[] = process.argv.slice(2)): boolean {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { quick: { type: 'boolean', default: false } },
  });
  return values.quick;
}

/** Prints `result` as the one line that bench/components/run.ts reads. */
export function printResult(result: ComponentResult): void {
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

/** Formats bytes as MB (10^6 bytes). */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

export function milliseconds(ms: number): string {
  return `${ms.toFixed(0)} ms`;
}

/** Formats a count with thousands separators, e.g. 1,000,000. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Peak RSS of this process since it started (the kernel's maxrss), in bytes. */
export function processPeakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Runs a full garbage collection when Node.js runs with `--expose-gc` (run.ts passes it), so
 * heap readings do not include garbage. Without the flag it does nothing.
 */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

/** Tracks the largest RSS seen by `sample()` after a baseline taken at construction. */
export class RssTracker {
  readonly baseline = process.memoryUsage.rss();
  peak = this.baseline;

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }

  get growth(): number {
    return this.peak - this.baseline;
  }
}

/** Runs `work` and returns its value and its wall time in milliseconds. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Returns the median of `values`; NaN when there are none. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? Number.NaN;
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Returns the largest of `values`; NaN when there are none. */
export function maximum(values: number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}
