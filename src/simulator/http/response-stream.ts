import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import zlib from 'node:zlib';

/** Thrown by ResponseStream.write once the client is gone, so the producer stops generating. */
export class StreamClosedError extends Error {
  constructor(message = 'response stream closed') {
    super(message);
    this.name = 'StreamClosedError';
  }
}

/** Size of the text collected before one write to the socket or to gzip. */
const FLUSH_BYTES = 64 * 1024;

export interface ResponseStreamOptions {
  status: number;
  contentType: string;
  /** Destroy the connection after this many body bytes (before compression), to test clients. */
  resetAfterBytes?: number;
  /** Called after each flush with the body bytes written so far. */
  onProgress?: (bytes: number) => void;
}

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
  private buffer = '';
  private closed = false;
  bytes = 0;

  constructor(
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly options: ResponseStreamOptions,
  ) {
    response.statusCode = options.status;
    response.setHeader('Content-Type', options.contentType);
    if (acceptsGzip(request)) {
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
    await new Promise<void>((resolve) => {
      this.response.once('close', resolve);
      this.target.end();
    });
  }

  private async flush(): Promise<void> {
    if (this.closed) throw new StreamClosedError();
    if (this.buffer === '') return;
    const chunk = Buffer.from(this.buffer);
    this.buffer = '';
    const limit = this.options.resetAfterBytes;
    if (limit !== undefined && this.bytes + chunk.length >= limit) {
      await this.writeChunk(chunk.subarray(0, Math.max(0, limit - this.bytes)));
      await this.resetConnection();
    }
    await this.writeChunk(chunk);
  }

  private async writeChunk(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    const accepted = this.target.write(chunk);
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

  /** Sends what was written so far, then destroys the socket as a network failure would. */
  private async resetConnection(): Promise<never> {
    if (this.gzip) await new Promise<void>((resolve) => this.gzip?.flush(() => resolve()));
    await delay(20);
    this.request.socket.destroy();
    this.closed = true;
    throw new StreamClosedError('connection reset by an injected fault');
  }
}
