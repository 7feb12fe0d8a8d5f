import { PendoApiError, PendoResponseError } from '../errors';
import { bodyError, describeRequest } from './http-errors';
import type { PendoRequest } from './request';

/** Settings for reading a response body. */
export interface BodyReadOptions {
  request: PendoRequest;
  /** Maximum wait for the next chunk, in milliseconds. */
  idleTimeoutMs: number;
  /** Aborts the underlying request, which closes the connection. */
  abort: () => void;
}

const TIMED_OUT = Symbol('timed out');

type ReadResult = { done: true; value?: undefined } | { done: false; value: Uint8Array };

async function readWithTimeout(
  read: () => Promise<ReadResult>,
  timeoutMs: number,
): Promise<ReadResult | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    return await Promise.race([read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Yields the chunks of a response body. The idle timer runs only while a chunk is awaited,
 * so a slow consumer never trips it. A stalled or failed body throws a retryable PendoApiError.
 * Stopping early cancels the body, which closes the connection.
 */
export async function* bodyChunks(
  response: Response,
  options: BodyReadOptions,
): AsyncGenerator<Uint8Array> {
  if (!response.body) return;
  const reader = response.body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      let result: ReadResult | typeof TIMED_OUT;
      try {
        result = await readWithTimeout(
          () => reader.read() as Promise<ReadResult>,
          options.idleTimeoutMs,
        );
      } catch (error) {
        if (error instanceof PendoApiError) throw error;
        throw bodyError(options.request, bytes, error);
      }
      if (result === TIMED_OUT) {
        options.abort();
        throw bodyError(options.request, bytes, undefined, options.idleTimeoutMs);
      }
      if (result.done) return;
      bytes += result.value.byteLength;
      yield result.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Returns up to `maxBytes` of a body as text for an error message, then drops the rest.
 * A body that fails midway gives what arrived, because the status already explains the failure.
 */
export async function readSnippet(
  response: Response,
  options: BodyReadOptions,
  maxBytes = 4096,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for await (const chunk of bodyChunks(response, options)) {
      text += decoder.decode(chunk, { stream: true });
      bytes += chunk.byteLength;
      if (bytes >= maxBytes) break;
    }
  } catch {
    // Keep the part that arrived.
  }
  return text + decoder.decode();
}

/**
 * Reads a whole body of at most `maxBytes`. Larger bodies throw a PendoResponseError,
 * since only small objects are read this way and large lists are streamed.
 */
export async function readAllBytes(
  response: Response,
  options: BodyReadOptions,
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of bodyChunks(response, options)) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) {
      throw new PendoResponseError(
        `The Pendo response to ${describeRequest(options.request)} exceeds ${maxBytes} bytes, ` +
          'the limit for a single JSON object. Read large collections with a streaming method.',
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
