import type pg from 'pg';
import { refreshRollups } from '../rollups/refresh';
import type { EventStream } from '../../events/streams';
import { EVENT_STREAM_SPECS } from '../../events/streams';
import { ensurePartitions } from './partitions';
import type { WindowWriteCounts } from './replace-window';
import { replaceWindowRows } from './replace-window';
import type { StoredWindow } from './windows';
import { saveWindow } from './windows';

/** One staged window ready to commit. */
export interface WindowWrite {
  runId: string;
  stream: EventStream;
  appIds: number[] | 'all';
  timeZone: string;
  window: StoredWindow;
}

/**
 * Commits a window staged on `client` in one transaction: creates its monthly partitions when
 * missing, replaces its rows with the staged ones, recomputes the rollups of its local days
 * and stores its `sync_event_windows` row. On any error the transaction is rolled back, so
 * the rows, rollups and checkpoint of the window stay as they were, and the error is thrown.
 */
export async function commitWindow(
  client: pg.PoolClient,
  write: WindowWrite,
): Promise<WindowWriteCounts> {
  const { stream, appIds, window } = write;
  await client.query('begin');
  try {
    await ensurePartitions(client, EVENT_STREAM_SPECS[stream].table, window.start, window.end);
    const scope = { stream, from: window.start, to: window.end, appIds };
    const counts = await replaceWindowRows(client, scope);
    await refreshRollups(client, { ...scope, timeZone: write.timeZone });
    await saveWindow(
      client,
      { stream, appIds, runId: write.runId, timeZone: write.timeZone },
      window,
    );
    await client.query('commit');
    return counts;
  } catch (error) {
    // A failed rollback means a broken connection, which the caller discards.
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
