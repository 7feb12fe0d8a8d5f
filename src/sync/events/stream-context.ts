import type pg from 'pg';
import type { EventStreamSpec } from '../../events/streams';
import type { Logger } from '../../log';
import type { PendoClient } from '../../pendo/client';
import type { EntityCounts, EventSyncOptions, SyncOptions } from '../context';
import type { Deadline } from '../deadline';

/** Everything the window reader and writer of one stream need in one run. */
export interface StreamContext {
  runId: string;
  spec: EventStreamSpec;
  pool: pg.Pool;
  /** A Pendo client whose requests are counted in `counts.apiCalls`. */
  pendo: PendoClient;
  /** A child logger whose lines already carry `runId` and `stream`. */
  logger: Logger;
  deadline: Deadline;
  options: SyncOptions;
  events: EventSyncOptions;
  counts: EntityCounts;
}
