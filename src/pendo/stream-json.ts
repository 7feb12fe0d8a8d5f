import type { ReadableStream } from 'node:stream/web';
import type { PendoRecord } from '../types';
import type { RecordLayout } from './json-shape';
import { RecordParser } from './record-parser';

/** A response body: a web ReadableStream (fetch), a Node Readable or any async byte iterable. */
export type ByteSource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>;

// Chunks are parsed in slices of at most this size, so one large chunk still yields batches of
// a few hundred records instead of one huge array.
const MAX_SLICE_BYTES = 64 * 1024;

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array | string> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function* readerChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Cancelling stops the producer, such as a fetch body, when the consumer stops early.
    await reader.cancel().catch(() => undefined);
  }
}

/** Reads the source one chunk at a time, as bytes, without reading ahead. */
async function* byteChunks(source: ByteSource): AsyncGenerator<Uint8Array> {
  const iterable = isAsyncIterable(source) ? source : readerChunks(source);
  for await (const chunk of iterable) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  }
}

async function* parseRecords(
  source: ByteSource,
  layout: RecordLayout,
  request: string,
): AsyncGenerator<PendoRecord[]> {
  const parser = new RecordParser(layout, request);
  for await (const chunk of byteChunks(source)) {
    for (let start = 0; start < chunk.byteLength; start += MAX_SLICE_BYTES) {
      const records = parser.write(chunk.subarray(start, start + MAX_SLICE_BYTES));
      if (records.length > 0) yield records;
    }
  }
  const last = parser.end();
  if (last.length > 0) yield last;
}

/**
 * Yields the objects of a top-level JSON array in batches as the bytes arrive. The next chunk
 * is read only when the consumer requests the next batch. `request` (method and URL, without
 * secrets) is named in the PendoResponseError thrown for invalid JSON, a wrong shape, a
 * non-object element or a truncated body.
 */
export function streamJsonArray(
  source: ByteSource,
  request: string,
): AsyncGenerator<PendoRecord[]> {
  return parseRecords(source, 'array', request);
}

/**
 * Yields the objects of the `results` array of an aggregation envelope such as
 * `{"startTime": 1, "results": [...]}`; other keys may come before or after `results`.
 * Errors as for streamJsonArray, plus a PendoResponseError when `results` is missing.
 */
export function streamResultsArray(
  source: ByteSource,
  request: string,
): AsyncGenerator<PendoRecord[]> {
  return parseRecords(source, 'results', request);
}
