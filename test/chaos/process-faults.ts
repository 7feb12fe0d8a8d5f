import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { catalogTable } from '../../src/db/rows';
import type { CatalogEntity } from '../../src/types';
import type { CliProcess } from '../cli/helpers';
import type { ChaosServer } from './chaos-server';
import type { LogWatcher } from './log-watcher';
import type { ProcessFault, SessionStatement } from './scenario';

/** Maximum time a fault waits on the database (a COPY to appear, a lock to be taken). */
const FAULT_WAIT_MS = 60_000;

/** What the fault did: whether it struck while the sync still ran, and details for messages. */
export interface FaultOutcome {
  landed: boolean;
  /** The sync process was killed by the test. */
  killed: boolean;
  /** Sessions terminated, with their `pg_stat_activity.state` at that moment. */
  terminatedStates: string[];
  detail: string;
}

/** The faulty run and what its fault may act on. */
export interface FaultTarget {
  process: CliProcess;
  watcher: LogWatcher;
  server: ChaosServer;
  databaseUrl: string;
}

function isRunning(process: CliProcess): boolean {
  return process.child.exitCode === null && process.child.signalCode === null;
}

/** Opens a connection for the test's own fault queries; errors end it instead of the worker. */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'chaos-test' });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Conditions on pg_stat_activity that select a sync session by what it runs; fixed SQL. */
const SESSION_FILTERS: Readonly<Record<SessionStatement, string>> = {
  copy: `(query ilike 'copy pendo_sync_stage%' or query ilike 'copy pg_temp.pendo_sync_event_stage%')
         and state in ('active', 'idle in transaction')`,
  merge: `query ilike '%with previously_deleted%' and state in ('active', 'idle in transaction')`,
  transaction: `xact_start is not null and query not ilike '%pg_try_advisory_lock%'`,
};

/**
 * Terminates up to `times` sessions of the sync that run the given statement, polling
 * pg_stat_activity until then or until the sync ends. A session counts while it runs the
 * statement, or while it waits inside the transaction where the statement ran last.
 */
async function terminateSessions(
  target: FaultTarget,
  during: SessionStatement,
  times: number,
): Promise<string[]> {
  const client = await connect(target.databaseUrl);
  const states: string[] = [];
  const deadline = Date.now() + FAULT_WAIT_MS;
  try {
    while (states.length < times && isRunning(target.process) && Date.now() < deadline) {
      const found = await client.query<{ pid: number; state: string }>(
        `select pid, state from pg_stat_activity
         where datname = current_database() and application_name = 'pendo-sync'
           and ${SESSION_FILTERS[during]}
         limit 1`,
      );
      const session = found.rows[0];
      if (!session) {
        await sleep(1);
        continue;
      }
      const ended = await client.query<{ terminated: boolean }>(
        'select pg_terminate_backend($1) as terminated',
        [session.pid],
      );
      if (ended.rows[0]?.terminated) states.push(session.state);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return states;
}

/**
 * Holds an exclusive lock on `entity`'s table until the sync's run of that entity has ended
 * (or the sync exited), so its next statement on the table waits until its statement
 * timeout. Returns true when a statement of the sync was seen waiting on the lock.
 */
async function holdTableLock(target: FaultTarget, entity: CatalogEntity): Promise<boolean> {
  const client = await connect(target.databaseUrl);
  try {
    await client.query(`set lock_timeout = ${FAULT_WAIT_MS}`);
    await client.query('begin');
    await client.query(`lock table ${catalogTable(entity)} in access exclusive mode`);
    const deadline = Date.now() + FAULT_WAIT_MS;
    let blocked = false;
    while (isRunning(target.process) && Date.now() < deadline) {
      const state = await client.query<{ running: boolean; waiting: boolean }>(
        `select
           exists (select 1 from sync_status where entity = $1 and status = 'running') as running,
           exists (select 1 from pg_locks where relation = $2::regclass and not granted) as waiting`,
        [entity, catalogTable(entity)],
      );
      blocked ||= state.rows[0]?.waiting === true;
      if (state.rows[0]?.running !== true) break;
      await sleep(20);
    }
    await client.query('commit');
    return blocked;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Waits for the fault's trigger, then strikes the sync process or its database. */
export async function strikeFault(fault: ProcessFault, target: FaultTarget): Promise<FaultOutcome> {
  const outcome: FaultOutcome = { landed: false, killed: false, terminatedStates: [], detail: '' };
  if (fault.kind === 'none') return outcome;
  const reached = await target.watcher.waitFor(fault.at, target.process.exited);
  if (!reached || !isRunning(target.process)) {
    outcome.detail = 'the sync ended before the trigger';
    return outcome;
  }
  switch (fault.kind) {
    case 'kill':
      outcome.landed = target.process.child.kill('SIGKILL');
      outcome.killed = outcome.landed;
      break;
    case 'restart-database':
      await target.server.restart(fault.mode, fault.downMs);
      outcome.landed = true;
      break;
    case 'terminate-session':
      outcome.terminatedStates = await terminateSessions(target, fault.during, fault.times);
      outcome.landed = outcome.terminatedStates.length > 0;
      break;
    case 'statement-timeout':
      // It counts only when a statement of the sync waited, because the entity may have
      // written its last batch before the lock was taken.
      outcome.landed = await holdTableLock(target, fault.entity);
      if (!outcome.landed) outcome.detail = 'no statement waited on the lock';
      break;
  }
  return outcome;
}
