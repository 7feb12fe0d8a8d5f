import type { RequestLogEntry } from './request-log';
import type { ResponseStream } from './response-stream';

export interface JsonArrayOptions {
  /** Repeat the first N items at the end of the array (an injected fault). */
  duplicates?: number;
  /** Text written bare after the first item (or after `[` when there is none), an injected fault. */
  garbage?: string;
  /** Updated with the number of items written. */
  entry?: RequestLogEntry;
}

/**
 * Writes `items` (each already JSON text) as one JSON array through the stream. Items are
 * pulled one at a time, so only the stream's 64 KiB buffer is held in memory.
 */
export async function writeJsonArray(
  stream: ResponseStream,
  items: Iterable<string>,
  options: JsonArrayOptions = {},
): Promise<number> {
  const duplicates = options.duplicates ?? 0;
  const repeated: string[] = [];
  let count = 0;
  await stream.write('[');
  for (const item of items) {
    await stream.write(count === 0 ? item : `,${item}`);
    if (count === 0 && options.garbage) await stream.write(options.garbage);
    if (repeated.length < duplicates) repeated.push(item);
    count++;
    if (options.entry) options.entry.rows = count;
  }
  if (count === 0 && options.garbage) await stream.write(options.garbage);
  for (const item of repeated) {
    await stream.write(count === 0 ? item : `,${item}`);
    count++;
  }
  if (options.entry) options.entry.rows = count;
  await stream.write(']');
  return count;
}
