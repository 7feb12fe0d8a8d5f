import type pg from 'pg';
import type { Logger } from '../log';
import type { PendoClient } from '../pendo/client';
import type { Entity, Cursor, RunStatus, SyncMode } from '../types';
import type { EventStream } from '../events/streams';
import type { Deadline } from './deadline';
import type { ProgressReporter } from './progress';

/** Counters of one entity in one run, as stored in `sync_status`. */
export interface EntityCounts {
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  undeleted: number;
  apiCalls: number;
}

export function emptyCounts(): EntityCounts {
  return {
    fetched: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    undeleted: 0,
    apiCalls: 0,
  };
}

/** Outcome of one entity's part of a run. */
export interface EntityResult {
  entity: Entity;
  mode: SyncMode;
  status: RunStatus;
  counts: EntityCounts;
  durationMs: number;
  cursor: Cursor | null;
  error?: string;
  /** Reason a partial run stopped early. */
  stoppedBecause?: string;
}

/** Outcome of one event stream's part of a run. */
export interface StreamResult {
  stream: EventStream;
  /** `backfill` while windows never read remained at the start of the run. */
  mode: 'backfill' | 'incremental';
  status: RunStatus;
  /** fetched: rows received; inserted, unchanged, deleted: rows of the event table. */
  counts: EntityCounts;
  durationMs: number;
  /** Windows (local days) read and committed in this run. */
  windowsRead: number;
  /** Windows the run planned to read; more than `windowsRead` when it stopped or failed. */
  windowsPlanned: number;
  error?: string;
  /** Reason a partial run stopped early. */
  stoppedBecause?: string;
}

/** Options of one sync run. */
export interface SyncOptions {
  entities: Entity[];
  /** `full` forces a full pass; otherwise each entity picks incremental or resumes a full pass. */
  full: boolean;
  appIds: number[] | 'all';
  pageSize: number;
  batchSize: number;
  detectDeletions: boolean;
  /** Consecutive failed attempts at one page before the entity fails. */
  maxAttempts: number;
  /** Sync anonymous visitors (`_PENDO_T_` ids) too; false when omitted. */
  anonymousVisitors?: boolean;
  /** Event streams to sync and how; no streams are synced when omitted. */
  events?: EventSyncOptions;
}

/** Options of the event streams of one run. */
export interface EventSyncOptions {
  streams: EventStream[];
  /** First instant to backfill (epoch ms); default 30 days before Pendo's current time. */
  since?: number;
  /**
   * Backfill start as a duration before Pendo's current time, in milliseconds, used when
   * `since` is not set; 30 days when both are omitted.
   */
  sinceBeforeNowMs?: number;
  /** How far behind Pendo's current time windows count as closed, in milliseconds. */
  lagMs: number;
  /** Closed windows younger than this are read again on later runs, in milliseconds. */
  lookbackMs: number;
  /** IANA time zone of the subscription: day windows and rollup days start at its midnight. */
  timeZone: string;
  /** Events older than this many days are dropped after each run; kept forever when omitted. */
  retentionDays?: number;
}

/** Everything a pass needs: one per entity and run. */
export interface PassContext {
  runId: string;
  entity: Entity;
  pool: pg.Pool;
  /** A Pendo client whose requests are counted in `counts.apiCalls`. */
  pendo: PendoClient;
  /** A child logger whose lines already carry `runId` and `entity`. */
  logger: Logger;
  deadline: Deadline;
  options: SyncOptions;
  counts: EntityCounts;
  progress: ProgressReporter;
  /** Stores the current counts in the run log so other processes see live progress. */
  reportProgress(): Promise<void>;
}

/** End state of a pass. `stopped` means the deadline passed before the pass finished. */
export interface PassOutcome {
  stopped: boolean;
  cursor: Cursor | null;
}
