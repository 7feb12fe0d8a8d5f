import type pg from 'pg';
import { PendoSyncError, SyncLockedError } from '../errors';
import { LOCK_CLASS, SYNC_LOCK_ID } from './advisory-locks';
import { watchClient } from './watch-client';

/** The connection that held the sync lock closed, so another process may now take the lock. */
export class SyncLockLostError extends PendoSyncError {}

export interface SyncLock {
  /** Throws SyncLockLostError unless this session still holds the lock (one round trip). */
  check(): Promise<void>;
  /** Releases the lock and its connection. Calling it again does nothing. */
  release(): Promise<void>;
}

export interface SyncLockOptions {
  /** Called once when the lock's connection fails while the lock is held. */
  onLost?: (error: Error) => void;
}

const LOCKED_MESSAGE =
  `another pendo-sync sync is running against this database (advisory lock ${LOCK_CLASS}, ${SYNC_LOCK_ID}); ` +
  'wait for it to finish or stop it';

/**
 * Takes the session advisory lock that lets one sync run at a time, on a connection kept out
 * of the pool for the whole run. Throws SyncLockedError when another session holds it.
 *
 * NOTE: a session lock needs a session, so this does not work through a transaction-mode
 * pooler such as Supabase's port 6543; use the direct connection or the session pooler.
 */
export async function acquireSyncLock(
  pool: pg.Pool,
  options: SyncLockOptions = {},
): Promise<SyncLock> {
  const client = await pool.connect();
  let lostError: Error | undefined;
  let released = false;
  const loseLock = (error: Error): void => {
    if (lostError || released) return;
    lostError = new SyncLockLostError(
      `The sync lock was lost (${error.message}), so another pendo-sync process may start a ` +
        'sync now. Stop this run and start it again.',
      {
        cause: error,
      },
    );
    options.onLost?.(lostError);
  };
  const watched = watchClient(client, loseLock);

  let acquired = false;
  let failed = true;
  try {
    const result = await client.query<{ acquired: boolean }>(
      'select pg_try_advisory_lock($1, $2) as acquired',
      [LOCK_CLASS, SYNC_LOCK_ID],
    );
    acquired = result.rows[0]?.acquired === true;
    failed = false;
  } catch (error) {
    throw watched.explain(error);
  } finally {
    if (!acquired) watched.release(failed);
  }
  if (!acquired) throw new SyncLockedError(LOCKED_MESSAGE);

  return {
    async check() {
      if (lostError) throw lostError;
      try {
        const result = await client.query<{ held: boolean }>(
          `select exists (
             select 1 from pg_locks
             where locktype = 'advisory' and classid = $1 and objid = $2 and objsubid = 2
               and pid = pg_backend_pid() and granted
           ) as held`,
          [LOCK_CLASS, SYNC_LOCK_ID],
        );
        if (result.rows[0]?.held !== true) throw new Error('pg_locks no longer lists it');
      } catch (error) {
        loseLock(error as Error);
        throw lostError ?? error;
      }
    },
    async release() {
      if (released) return;
      released = true;
      if (lostError) {
        watched.release(true);
        return;
      }
      const unlocked = await client
        .query('select pg_advisory_unlock($1, $2)', [LOCK_CLASS, SYNC_LOCK_ID])
        .then(() => true)
        .catch(() => false);
      watched.release(!unlocked);
    },
  };
}
