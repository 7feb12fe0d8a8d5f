/**
 * Regroups a stream of arrays into arrays of `size` items (the last may be shorter).
 * Pulls from the source only when the consumer requests more, so backpressure reaches the socket.
 */
export async function* rebatch<T>(source: AsyncIterable<T[]>, size: number): AsyncGenerator<T[]> {
  let pending: T[] = [];
  for await (const chunk of source) {
    for (const item of chunk) {
      pending.push(item);
      if (pending.length >= size) {
        yield pending;
        pending = [];
      }
    }
  }
  if (pending.length > 0) yield pending;
}
