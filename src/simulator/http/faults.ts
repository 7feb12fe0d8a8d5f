import { STATUS_CODES } from 'node:http';

/**
 * A fault that the next matching requests get instead of, or on top of, the normal reply.
 * With `status`, the reply is that status with `headers` and `body`. Without it, the normal
 * reply is sent, changed by `resetAfterBytes` or `duplicateRecords`.
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
  /** Number of matching requests that get the fault; 1 when absent. */
  times?: number;
  /** Milliseconds to wait before replying. */
  delayMs?: number;
  /** Destroy the connection after this many body bytes. */
  resetAfterBytes?: number;
  /** Repeat the first N records at the end of the array, so ids appear twice. */
  duplicateRecords?: number;
}

interface QueuedFault {
  spec: FaultSpec;
  remaining: number;
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

/** Faults waiting for requests, consumed in the order they were injected. */
export class FaultQueue {
  private readonly queue: QueuedFault[] = [];

  inject(spec: FaultSpec): void {
    validateFault(spec);
    this.queue.push({ spec: { ...spec }, remaining: spec.times ?? 1 });
  }

  /** Removes one use of the first fault matching the request and returns it. */
  take(method: string, pathSegment: string): FaultSpec | undefined {
    const index = this.queue.findIndex(
      ({ spec }) =>
        (spec.path === '*' || spec.path === pathSegment) &&
        (spec.method === undefined || spec.method.toUpperCase() === method),
    );
    const fault = this.queue[index];
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining === 0) this.queue.splice(index, 1);
    return fault.spec;
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Number of fault uses still queued. */
  pending(): number {
    return this.queue.reduce((sum, fault) => sum + fault.remaining, 0);
  }
}
