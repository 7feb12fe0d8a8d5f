import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import zlib from 'node:zlib';
import { BrokenGzipEncoder } from './broken-gzip';

/** Thrown by ResponseStream.write once the client is gone, so the producer stops generating. */
export class StreamClosedError extends Error {
  constructor(message = 'response stream closed') {
    super(message);
    this.name = 'StreamClosedError';
  }
}

/** Size of the text collected before one write to the socket or to gzip. */
const FLUSH_BYTES = 64 * 1024;

/** Faults that change a body part-way; byte counts are of the body before compression. */
export interface BodyFaultOptions {
  /** Destroy the connection after this many body bytes. */
  resetAfterBytes?: number;
  /** End the body cleanly (chunked encoding and gzip complete) after this many bytes. */
  truncateAfterBytes?: number;
  /** Send gzip and make it invalid after this many bytes, or at the end of a shorter body. */
  corruptGzipAfterBytes?: number;
  /** Pause this long after the first bytes of the body. */
  slowBodyMs?: number;
}

export interface ResponseStreamOptions extends BodyFaultOptions {
  status: number;
  contentType: string;
  /** Called after each flush with the body bytes written so far. */
  onProgress?: (bytes: number) => void;
}

type CutAction = 'reset' | 'truncate' | 'corrupt';

/** True when the request accepts gzip (and does not give it q=0). */
export function acceptsGzip(request: IncomingMessage): boolean {
  const header = request.headers['accept-encoding'];
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding = '', ...parameters] = part.trim().toLowerCase().split(';');
    const rejected = parameters.some((parameter) => /^\s*q=0(\.0*)?\s*$/.test(parameter));
    return (coding.trim() === 'gzip' || coding.trim() === '*') && !rejected;
  });
}

/**
 * A chunked response body written with backpressure: each flush waits for 'drain' when the
 * socket (or gzip) buffer is full, so a slow client pauses the producer instead of filling memory.
 */
export class ResponseStream {
  private readonly target: Writable;
  private readonly gzip: zlib.Gzip | undefined;
  private readonly broken: BrokenGzipEncoder | undefined;
  private buffer = '';
  private closed = false;
  private stalled = false;
  bytes = 0;

  constructor(
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly options: ResponseStreamOptions,
  ) {
    response.statusCode = options.status;
    response.setHeader('Content-Type', options.contentType);
    if (options.corruptGzipAfterBytes !== undefined) {
      response.setHeader('Content-Encoding', 'gzip');
      this.broken = new BrokenGzipEncoder();
      this.target = response;
    } else if (acceptsGzip(request)) {
      response.setHeader('Content-Encoding', 'gzip');
      this.gzip = zlib.createGzip();
      pipeline(this.gzip, response, () => undefined);
      this.target = this.gzip;
    } else {
      this.target = response;
    }
    response.once('close', () => {
      this.closed = true;
    });
  }

  /** Adds text to the body, flushing once 64 KiB have collected. */
  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= FLUSH_BYTES) await this.flush();
  }

  /** Flushes the rest and ends the body; resolves when the response has finished or closed. */
  async end(): Promise<void> {
    await this.flush();
    if (this.closed) throw new StreamClosedError();
    if (this.broken) await this.cut('corrupt');
    await this.finish();
  }

  private finish(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.response.once('close', resolve);
      this.target.end();
    });
  }

  private async flush(): Promise<void> {
    if (this.closed) throw new StreamClosedError();
    if (this.buffer === '') return;
    let chunk = Buffer.from(this.buffer);
    this.buffer = '';
    if (this.options.slowBodyMs !== undefined && !this.stalled) {
      this.stalled = true;
      const head = Math.max(1, Math.floor(chunk.length / 2));
      await this.writeChunk(chunk.subarray(0, head));
      await this.stall(this.options.slowBodyMs);
      chunk = chunk.subarray(head);
    }
    const cut = this.nextCut(chunk.length);
    if (cut) {
      await this.writeChunk(chunk.subarray(0, Math.max(0, cut.at - this.bytes)));
      await this.cut(cut.action);
    }
    await this.writeChunk(chunk);
  }

  /** Returns the first fault whose byte limit falls within the next `length` bytes. */
  private nextCut(length: number): { at: number; action: CutAction } | undefined {
    const limits: [number | undefined, CutAction][] = [
      [this.options.resetAfterBytes, 'reset'],
      [this.options.truncateAfterBytes, 'truncate'],
      [this.options.corruptGzipAfterBytes, 'corrupt'],
    ];
    let first: { at: number; action: CutAction } | undefined;
    for (const [at, action] of limits) {
      if (at === undefined || this.bytes + length < at) continue;
      if (!first || at < first.at) first = { at, action };
    }
    return first;
  }

  /** Ends the body as the fault requires, then stops the producer. */
  private async cut(action: CutAction): Promise<never> {
    if (action === 'reset') return this.resetConnection();
    if (action === 'corrupt' && this.broken) this.response.write(this.broken.corrupt());
    await this.finish();
    this.closed = true;
    throw new StreamClosedError(`body ended by an injected fault (${action})`);
  }

  private async writeChunk(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    const data = this.broken ? this.broken.encode(chunk) : chunk;
    const accepted = this.target.write(data);
    this.options.onProgress?.(this.bytes);
    if (!accepted) await this.drainOrClose();
    if (this.closed) throw new StreamClosedError();
  }

  private drainOrClose(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.target.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.target.once('drain', done);
      this.response.once('close', done);
    });
  }

  /** Sends what was written so far, then waits `ms` or until the client goes away. */
  private async stall(ms: number): Promise<void> {
    if (this.gzip) await new Promise<void>((resolve) => this.gzip?.flush(() => resolve()));
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    this.response.once('close', abort);
    try {
      await delay(ms, undefined, { signal: controller.signal });
    } catch {
      // The client closed the connection; the next write reports it.
    } finally {
      this.response.off('close', abort);
    }
    if (this.closed) throw new StreamClosedError();
  }

  /** Sends what was written so far, then destroys the socket as a network failure would. */
  private async resetConnection(): Promise<never> {
    if (this.gzip) await new Promise<void>((resolve) => this.gzip?.flush(() => resolve()));
    await delay(20);
    this.request.socket.destroy();
    this.closed = true;
    throw new StreamClosedError('connection reset by an injected fault');
  }
}
