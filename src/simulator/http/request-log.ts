/** One request the simulator served; fields after `status` fill in while the body streams. */
export interface RequestLogEntry {
  method: string;
  /** Path without the query string, e.g. `/api/v1/aggregation`. */
  path: string;
  /** Query string without `?`, or ''. */
  query: string;
  /** Status sent; 0 until the headers go out. */
  status: number;
  /** Aggregation requests: the source and the operators in order. */
  pipeline?: { source: string; operators: string[] };
  /** Records or rows written to the body so far. */
  rows: number;
  /** Body bytes written so far, before compression. */
  bytes: number;
  /** Status or kind of the injected fault that applied, if any. */
  fault?: string;
  /** Wall-clock epoch milliseconds when the request arrived. */
  receivedAt: number;
  /** Wall-clock milliseconds until the response ended; undefined while it is open. */
  durationMs?: number;
}

/** Number of entries kept; older ones are dropped in blocks so memory stays bounded. */
const MAX_ENTRIES = 10_000;

/** Appends an entry, dropping the oldest thousand when the log is full. The array is changed in place. */
export function appendLogEntry(log: RequestLogEntry[], entry: RequestLogEntry): void {
  if (log.length >= MAX_ENTRIES) log.splice(0, 1000);
  log.push(entry);
}
