import type pg from 'pg';
import { PendoSyncError } from '../errors';

/**
 * A checked-out connection failed between two statements: the server restarted or the
 * session was terminated. Retryable, because a new connection may succeed.
 */
export class DatabaseConnectionLostError extends PendoSyncError {
  constructor(cause: Error) {
    super(`the database connection was lost: ${cause.message}`, { retryable: true, cause });
  }
}

/** A checked-out client whose 'error' event is listened for until it is released. */
export interface WatchedClient {
  /** The error the connection emitted while it was watched, if any. */
  readonly lostError: Error | undefined;
  /**
   * Returns the error to throw in place of `error`: a DatabaseConnectionLostError when the
   * connection was lost, because the next statement then fails with a message that names no
   * cause, otherwise `error` itself.
   */
  explain(error: unknown): unknown;
  /**
   * Stops listening and returns the client to the pool. The pool closes the connection
   * instead of reusing it when it was lost or when `broken` is true. Calling it again does
   * nothing.
   */
  release(broken?: boolean): void;
}

/**
 * Listens for the 'error' event of a checked-out client until `release`. A client that loses
 * its connection between two statements emits 'error', which crashes the process when
 * nothing listens. The next statement on the client then fails, so the error is only stored
 * here, and `onLost` (when given) is called once with it.
 */
export function watchClient(
  client: pg.PoolClient,
  onLost?: (error: DatabaseConnectionLostError) => void,
): WatchedClient {
  let lostError: Error | undefined;
  let released = false;
  const onError = (error: Error): void => {
    if (lostError) return;
    lostError = error;
    onLost?.(new DatabaseConnectionLostError(error));
  };
  client.on('error', onError);
  return {
    get lostError() {
      return lostError;
    },
    explain(error) {
      if (!lostError || error instanceof DatabaseConnectionLostError) return error;
      return new DatabaseConnectionLostError(lostError);
    },
    release(broken = false) {
      if (released) return;
      released = true;
      client.off('error', onError);
      // A truthy argument makes the pool close the connection instead of reusing it.
      client.release(broken || lostError !== undefined);
    },
  };
}

/** Rolls back the open transaction of `client`. Returns false when that failed. */
export async function rollBack(client: pg.PoolClient): Promise<boolean> {
  return client.query('rollback').then(
    () => true,
    () => false,
  );
}
