import type { IncomingMessage } from 'node:http';
import { SimulatorHttpError } from '../errors';

/** Largest request body accepted; aggregation requests are a few kilobytes. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Reads and parses a JSON request body; throws 400 for malformed JSON and 413 for huge bodies. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new SimulatorHttpError(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SimulatorHttpError(
      400,
      `Cannot parse request body as JSON: ${(error as Error).message}`,
    );
  }
}
