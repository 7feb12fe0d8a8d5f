import { Random, hashSeed } from '../random';
import type { FaultSpec } from './faults';

/** The kinds of fault that the random mode can pick. */
export const RANDOM_FAULT_KINDS = [
  'status-408',
  'status-429',
  'status-500',
  'status-502',
  'status-503',
  'retry-after-date',
  'reset',
  'truncate',
  'corrupt-gzip',
  'invalid-json-html',
  'invalid-json-garbage',
  'slow-body',
  'duplicate-records',
] as const;

export type RandomFaultKind = (typeof RANDOM_FAULT_KINDS)[number];

/** Options of the seeded random mode. */
export interface RandomFaultOptions {
  /** Any string or number; the same seed and request order give the same faults. */
  seed: string | number;
  /** Probability, from 0 to 1, that a request gets a fault. */
  rate: number;
  /** Kinds to pick from; every kind when absent. */
  kinds?: RandomFaultKind[];
  /** Path segments that can get faults, such as `aggregation`; every path when absent. */
  paths?: string[];
  /** Pause of a `slow-body` fault, in milliseconds (default 1000). */
  slowBodyMs?: number;
  /** Maximum byte offset of a `reset`, `truncate` or `corrupt-gzip` fault (default 4096). */
  maxOffsetBytes?: number;
  /** Stop after this many faults; unlimited when absent. */
  maxFaults?: number;
}

function checkOptions(options: RandomFaultOptions): void {
  if (typeof options.rate !== 'number' || !(options.rate >= 0 && options.rate <= 1)) {
    throw new TypeError('random faults: rate must be a number from 0 to 1');
  }
  if (typeof options.seed !== 'string' && typeof options.seed !== 'number') {
    throw new TypeError('random faults: seed must be a string or a number');
  }
  const unknown = (options.kinds ?? []).filter((kind) => !RANDOM_FAULT_KINDS.includes(kind));
  if (unknown.length > 0 || (options.kinds && options.kinds.length === 0)) {
    throw new TypeError(
      `random faults: kinds must be a non-empty list of ${RANDOM_FAULT_KINDS.join(', ')}`,
    );
  }
}

/** Builds the fault of one kind; byte offsets are drawn from `random`. */
function faultOf(
  kind: RandomFaultKind,
  random: Random,
  options: RandomFaultOptions,
): Omit<FaultSpec, 'path'> {
  const offset = random.int(1, options.maxOffsetBytes ?? 4096);
  switch (kind) {
    case 'status-408':
      return { status: 408 };
    case 'status-429':
      return { status: 429, retryAfter: { seconds: 0 } };
    case 'status-500':
      return { status: 500 };
    case 'status-502':
      return { status: 502 };
    case 'status-503':
      return { status: 503 };
    case 'retry-after-date':
      return { status: 503, retryAfter: { seconds: 0, format: 'http-date' } };
    case 'reset':
      return { resetAfterBytes: offset };
    case 'truncate':
      return { truncateAfterBytes: offset };
    case 'corrupt-gzip':
      return { corruptGzipAfterBytes: offset };
    case 'invalid-json-html':
      return { invalidJson: 'html' };
    case 'invalid-json-garbage':
      return { invalidJson: 'garbage' };
    case 'slow-body':
      return { slowBodyMs: options.slowBodyMs ?? 1000 };
    case 'duplicate-records':
      return { duplicateRecords: random.int(1, 5) };
  }
}

/**
 * The seeded random mode: each request on a selected path gets a fault with probability
 * `rate`, of a kind drawn from `kinds`. One generator serves the requests in arrival order.
 */
export class RandomFaults {
  private readonly random: Random;
  private readonly kinds: readonly RandomFaultKind[];
  injected = 0;

  constructor(private readonly options: RandomFaultOptions) {
    checkOptions(options);
    this.random = new Random(hashSeed('random-faults', options.seed));
    this.kinds = options.kinds ?? RANDOM_FAULT_KINDS;
  }

  /** Returns the fault for the next request on `pathSegment`, or undefined for none. */
  next(pathSegment: string): FaultSpec | undefined {
    const { paths, maxFaults, rate } = this.options;
    if (paths && !paths.includes(pathSegment)) return undefined;
    if (maxFaults !== undefined && this.injected >= maxFaults) return undefined;
    if (!this.random.chance(rate)) return undefined;
    this.injected += 1;
    const kind = this.random.pick(this.kinds);
    return { path: pathSegment, ...faultOf(kind, this.random, this.options) };
  }
}
