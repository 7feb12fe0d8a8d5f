/**
 * Keys of the session advisory locks pendo-sync takes, as (classid, objid) pairs for
 * `pg_try_advisory_lock(int, int)`. The class 0x70656e64 is "pend" in ASCII, which keeps the
 * keys apart from locks other applications take on the same database.
 */
export const LOCK_CLASS = 0x70656e64;

/** Held by the process that runs a sync, for the whole run. */
export const SYNC_LOCK_ID = 1;

/** Held while migrations are applied. */
export const MIGRATION_LOCK_ID = 2;
