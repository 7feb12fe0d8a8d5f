import { STATUS_CODES } from 'node:http';
import { RandomFaults } from './random-faults';
import type { RandomFaultOptions } from './random-faults';

/** Value and format of an injected `Retry-After` header. */
export interface RetryAfterSpec {
  seconds: number;
  /** `seconds` writes delay-seconds (the default), `http-date` an IMF-fixdate that far ahead. */
  format?: 'seconds' | 'http-date';
}

/**
 * A fault that the next matching requests get instead of, or on top of, the normal reply.
 * With `status`, the reply is that status with `headers` and `body`. With `invalidJson:
 * 'html'`, the reply is a 200 HTML page. Otherwise the normal reply is sent, changed by the
 * body options (`resetAfterBytes`, `truncateAfterBytes`, `corruptGzipAfterBytes`,
 * `slowBodyMs`, `duplicateRecords`, `invalidJson: 'garbage'`).
 */
export interface FaultSpec {
  /** First path segment after `/api/v1/`, such as `aggregation` or `guide`; `*` matches all. */
  path: string;
  /** Only requests with this method match; any method when absent. */
  method?: string;
  status?: number;
  headers?: Record<string, string>;
  /** Reply body; a short text for 4xx and an HTML page for 5xx when absent. */
  body?: string;
  /** Sets `Retry-After` on the reply. */
  retryAfter?: RetryAfterSpec;
  /** Number of matching requests that get the fault; 1 when absent. */
  times?: number;
  /** Milliseconds to wait before replying. */
  delayMs?: number;
  /** Destroy the connection after this many body bytes. */
  resetAfterBytes?: number;
  /**
   * End the body cleanly after this many bytes (before compression): the chunked encoding
   * and any gzip stream end properly, so only the JSON is cut short.
   */
  truncateAfterBytes?: number;
  /**
   * Send the body gzip-encoded (even when the request did not accept gzip), and make the
   * compressed stream invalid after this many body bytes (before compression).
   */
  corruptGzipAfterBytes?: number;
  /** Send the first bytes of the body, then pause this long before sending the rest. */
  slowBodyMs?: number;
  /** Repeat the first N records at the end of the array, so ids appear twice. */
  duplicateRecords?: number;
  /**
   * Reply 200 with a body that is not JSON: `html` sends a web firewall's HTML page, and
   * `garbage` inserts non-JSON text after the first record of the normal reply.
   */
  invalidJson?: 'html' | 'garbage';
}

interface QueuedFault {
  spec: FaultSpec;
  remaining: number;
}

const BYTE_OPTIONS = ['resetAfterBytes', 'truncateAfterBytes', 'corruptGzipAfterBytes'] as const;

function checkNonNegativeInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new TypeError(`fault.${name} must be an integer of 0 or more`);
  }
}

function validateFault(spec: FaultSpec): void {
  if (typeof spec.path !== 'string' || spec.path === '') {
    throw new TypeError('fault.path must be an API path segment such as "aggregation" or "*"');
  }
  const times = spec.times ?? 1;
  if (!Number.isInteger(times) || times < 1)
    throw new TypeError('fault.times must be a positive integer');
  if (
    spec.status !== undefined &&
    (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)
  ) {
    throw new TypeError('fault.status must be an HTTP status between 100 and 599');
  }
  for (const name of BYTE_OPTIONS) checkNonNegativeInteger(name, spec[name]);
  checkNonNegativeInteger('slowBodyMs', spec.slowBodyMs);
  checkNonNegativeInteger('delayMs', spec.delayMs);
  if (spec.invalidJson !== undefined && !['html', 'garbage'].includes(spec.invalidJson)) {
    throw new TypeError('fault.invalidJson must be "html" or "garbage"');
  }
  const retryAfter = spec.retryAfter;
  if (retryAfter !== undefined) {
    checkNonNegativeInteger('retryAfter.seconds', retryAfter.seconds);
    if (retryAfter.format !== undefined && !['seconds', 'http-date'].includes(retryAfter.format))
      throw new TypeError('fault.retryAfter.format must be "seconds" or "http-date"');
  }
}

/** Returns the `Retry-After` value of a fault: delay-seconds, or an HTTP date that far from now. */
export function retryAfterHeader(spec: RetryAfterSpec, now: number = Date.now()): string {
  if (spec.format === 'http-date') return new Date(now + spec.seconds * 1000).toUTCString();
  return String(spec.seconds);
}

/** Returns the body of a status fault when none was given: plain text, or HTML for 5xx like a proxy's page. */
export function defaultFaultBody(status: number): { body: string; contentType: string } {
  const reason = STATUS_CODES[status] ?? 'Error';
  if (status >= 500) {
    const body = `<html><head><title>${status} ${reason}</title></head><body><center><h1>${status} ${reason}</h1></center></body></html>\n`;
    return { body, contentType: 'text/html; charset=utf-8' };
  }
  if (status === 408)
    return {
      body: 'The call took too long and timed out.',
      contentType: 'text/plain; charset=utf-8',
    };
  return { body: reason, contentType: 'text/plain; charset=utf-8' };
}

/** A web application firewall's block page, which some proxies send with status 200. */
export const FIREWALL_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Request blocked</title></head><body>' +
  '<h1>Request blocked</h1><p>The request was blocked by the web application firewall. ' +
  'Reference: 0.7f3e1b2c.1733300000.1a2b3c4d</p></body></html>\n';

/** Text that `invalidJson: 'garbage'` inserts into a JSON array; no JSON value can contain it bare. */
export const GARBAGE_TEXT = '<!-- upstream sent an incomplete response -->';

/**
 * Faults waiting for requests, consumed in the order they were injected. When none matches,
 * the random mode, if set, may pick one.
 */
export class FaultQueue {
  private readonly queue: QueuedFault[] = [];
  private random: RandomFaults | undefined;

  inject(spec: FaultSpec): void {
    validateFault(spec);
    this.queue.push({ spec: { ...spec }, remaining: spec.times ?? 1 });
  }

  /** Starts the seeded random mode, replacing an earlier one. */
  injectRandom(options: RandomFaultOptions): void {
    this.random = new RandomFaults(options);
  }

  /** Removes one use of the first fault matching the request and returns it. */
  take(method: string, pathSegment: string): FaultSpec | undefined {
    const index = this.queue.findIndex(
      ({ spec }) =>
        (spec.path === '*' || spec.path === pathSegment) &&
        (spec.method === undefined || spec.method.toUpperCase() === method),
    );
    const fault = this.queue[index];
    if (!fault) return this.random?.next(pathSegment);
    fault.remaining--;
    if (fault.remaining === 0) this.queue.splice(index, 1);
    return fault.spec;
  }

  /** Removes the queued faults and stops the random mode. */
  clear(): void {
    this.queue.length = 0;
    this.random = undefined;
  }

  /** Number of fault uses still queued; the random mode is not counted. */
  pending(): number {
    return this.queue.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  /** Number of faults the random mode has injected so far. */
  randomInjected(): number {
    return this.random?.injected ?? 0;
  }
}
