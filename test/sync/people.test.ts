import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPendoClient } from '../../src/pendo/client';
import { createLimiter } from '../../src/pendo/limiter';
import { catalogTable } from '../../src/db/rows';
import { readSyncStatus } from '../../src/db/status';
import type { MutationSummary } from '../../src/simulator/index';
import type { EntityResult } from '../../src/sync/context';
import { ENTITIES } from '../../src/types';
import type { PendoRecord, PeopleEntity } from '../../src/types';
import { verifyEntity } from '../../src/verify/verify-catalog';
import { hasDrift } from '../../src/verify/compare-ids';
import type { SyncHarness, TestSyncRun } from './helpers';
import { SMALL_SIZES, createRecordingLogger, runTestSync, sorted, startHarness } from './helpers';

const PEOPLE: PeopleEntity[] = ['visitors', 'accounts'];
const SIZES = { ...SMALL_SIZES, visitors: 400, accounts: 60 };
const ANONYMOUS = '_PENDO_T_';

function isAnonymous(id: string): boolean {
  return id.startsWith(ANONYMOUS);
}

/** Returns the simulator's live ids of `entity`, without anonymous visitors unless `anonymous`. */
function expectedIds(harness: SyncHarness, entity: PeopleEntity, anonymous = false): string[] {
  const ids = harness.simulator.truthIds(entity);
  return sorted(anonymous ? ids : ids.filter((id) => !isAnonymous(id)));
}

function idOf(entity: PeopleEntity, record: PendoRecord): string {
  return String(entity === 'visitors' ? record.visitorId : record.accountId);
}

async function truthRecords(
  harness: SyncHarness,
  entity: PeopleEntity,
): Promise<Map<string, PendoRecord>> {
  const records = new Map<string, PendoRecord>();
  for await (const record of harness.simulator.truth(entity)) {
    records.set(idOf(entity, record), record);
  }
  return records;
}

function syncPeople(harness: SyncHarness, options: Parameters<typeof runTestSync>[1] = {}) {
  return runTestSync(harness, { entities: [...PEOPLE], ...options });
}

/** Returns the run's result for a people entity; the shared helper takes catalog entities only. */
function resultOf(run: TestSyncRun, entity: PeopleEntity): EntityResult {
  const found = run.summary.results.find((result) => result.entity === entity);
  if (!found) throw new Error(`the run did not sync ${entity}`);
  return found;
}

async function idsWhere(
  harness: SyncHarness,
  entity: PeopleEntity,
  deleted: boolean,
): Promise<string[]> {
  const result = await harness.pool.query<{ id: string }>(
    `select id from ${catalogTable(entity)} where (deleted_at is not null) = $1`,
    [deleted],
  );
  return sorted(result.rows.map((row) => row.id));
}

function liveIds(harness: SyncHarness, entity: PeopleEntity): Promise<string[]> {
  return idsWhere(harness, entity, false);
}

function deletedIds(harness: SyncHarness, entity: PeopleEntity): Promise<string[]> {
  return idsWhere(harness, entity, true);
}

/** Reads `metadata.<group>.<field>` of a simulator record. */
function meta(record: PendoRecord, group: string, field: string): unknown {
  const metadata = record.metadata as Record<string, Record<string, unknown> | undefined>;
  return metadata[group]?.[field];
}

function time(value: unknown): number | null {
  return typeof value === 'number' && value !== 0 ? value : null;
}

function rowTime(value: unknown): number | null {
  return value instanceof Date ? value.getTime() : null;
}

function pendoClient(harness: SyncHarness) {
  return createPendoClient({
    apiKey: harness.simulator.apiKey,
    baseUrl: harness.simulator.url,
    logger: createRecordingLogger().logger,
    limiter: createLimiter(2),
    timeoutMs: 10_000,
    bodyIdleTimeoutMs: 10_000,
    maxAttempts: 2,
    retryBaseMs: 10,
    retryMaxMs: 50,
  });
}

describe('people sync', () => {
  let harness: SyncHarness;
  let first: TestSyncRun;
  let mutation: MutationSummary;
  let second: TestSyncRun;

  beforeAll(async () => {
    harness = await startHarness({ sizes: SIZES });
    first = await syncPeople(harness);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('completes a full first sync', () => {
    for (const entity of PEOPLE) {
      expect(resultOf(first, entity).status, entity).toBe('completed');
      expect(resultOf(first, entity).mode, entity).toBe('full');
    }
  });

  it('stores identified visitors only by default', async () => {
    const stored = await liveIds(harness, 'visitors');
    expect(stored).toEqual(expectedIds(harness, 'visitors'));
    expect(stored.filter(isAnonymous)).toEqual([]);
    expect(harness.simulator.truthIds('visitors').some(isAnonymous)).toBe(true);
  });

  it('stores every account', async () => {
    expect(await liveIds(harness, 'accounts')).toEqual(expectedIds(harness, 'accounts'));
  });

  it('stores raw and typed visitor columns', async () => {
    const truth = await truthRecords(harness, 'visitors');
    const rows = await harness.pool.query<Record<string, unknown>>('select * from pendo_visitors');
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) {
      const record = truth.get(String(row.id));
      expect(record, String(row.id)).toBeDefined();
      if (!record) continue;
      expect(row.raw, String(row.id)).toEqual(record);
      expect(row.metadata).toEqual(record.metadata);
      expect(row.account_id).toBe(meta(record, 'auto', 'accountid') ?? null);
      expect(row.account_ids).toEqual(meta(record, 'auto', 'accountids') ?? null);
      expect(rowTime(row.first_visit)).toBe(time(meta(record, 'auto', 'firstvisit')));
      expect(rowTime(row.last_visit)).toBe(time(meta(record, 'auto', 'lastvisit')));
      expect(rowTime(row.last_updated_at)).toBe(time(meta(record, 'auto', 'lastupdated')));
      expect(row.is_anonymous).toBe(false);
      expect(row.do_not_process).toBe(meta(record, 'pendo', 'donotprocess') ?? null);
      expect(row.email).toBe(meta(record, 'agent', 'email') ?? null);
      expect(row.browser).toBe(meta(record, 'auto', 'lastbrowsername') ?? null);
      expect(row.operating_system).toBe(meta(record, 'auto', 'lastoperatingsystem') ?? null);
    }
  });

  it('stores raw and typed account columns', async () => {
    const truth = await truthRecords(harness, 'accounts');
    const rows = await harness.pool.query<Record<string, unknown>>('select * from pendo_accounts');
    expect(rows.rows).toHaveLength(truth.size);
    for (const row of rows.rows) {
      const record = truth.get(String(row.id));
      expect(record, String(row.id)).toBeDefined();
      if (!record) continue;
      expect(row.raw, String(row.id)).toEqual(record);
      expect(row.metadata).toEqual(record.metadata);
      expect(row.name).toBe(meta(record, 'agent', 'name') ?? null);
      expect(rowTime(row.first_visit)).toBe(time(meta(record, 'auto', 'firstvisit')));
      expect(rowTime(row.last_visit)).toBe(time(meta(record, 'auto', 'lastvisit')));
      expect(rowTime(row.last_updated_at)).toBe(time(meta(record, 'auto', 'lastupdated')));
    }
  });

  it('stores records without lastupdated', async () => {
    for (const entity of PEOPLE) {
      const truth = await truthRecords(harness, entity);
      const withoutTime = [...truth.entries()]
        .filter(
          ([id, record]) => !isAnonymous(id) && meta(record, 'auto', 'lastupdated') === undefined,
        )
        .map(([id]) => id);
      expect(withoutTime.length, entity).toBeGreaterThan(0);
      const stored = await harness.pool.query<{ id: string }>(
        `select id from ${catalogTable(entity)} where last_updated_at is null and deleted_at is null`,
      );
      expect(sorted(stored.rows.map((row) => row.id)), entity).toEqual(sorted(withoutTime));
    }
  });

  it('shows people in status', async () => {
    const status = await readSyncStatus(harness.pool, { entities: ENTITIES });
    const visitors = status.entities.find((entry) => entry.entity === 'visitors');
    expect(visitors?.liveRows).toBe(expectedIds(harness, 'visitors').length);
    expect(visitors?.lastCompletedAt).not.toBeNull();
  });

  it('verifies without drift after a sync', async () => {
    for (const entity of PEOPLE) {
      const drift = await verifyEntity(harness.pool, pendoClient(harness), entity, 'all');
      expect(drift, entity).toMatchObject({ missing: 0, extra: 0, outdated: 0 });
      expect(hasDrift(drift), entity).toBe(false);
    }
  });

  describe('after creates, updates and deletes', () => {
    beforeAll(async () => {
      mutation = harness.simulator.mutate({
        creates: { visitors: 12, accounts: 4 },
        updates: { visitors: 15, accounts: 5 },
        deletes: { visitors: 9, accounts: 3 },
      });
      second = await syncPeople(harness);
    });

    function changed(entity: PeopleEntity, key: 'created' | 'updated' | 'deleted'): string[] {
      return sorted((mutation.changes[entity]?.[key] ?? []).filter((id) => !isAnonymous(id)));
    }

    it('runs incrementally', () => {
      for (const entity of PEOPLE) {
        expect(resultOf(second, entity).mode, entity).toBe('incremental');
        expect(resultOf(second, entity).status, entity).toBe('completed');
      }
    });

    it('counts exactly the changed records', () => {
      for (const entity of PEOPLE) {
        const counts = resultOf(second, entity).counts;
        expect(counts.inserted, entity).toBe(changed(entity, 'created').length);
        expect(counts.updated, entity).toBe(changed(entity, 'updated').length);
        expect(counts.deleted, entity).toBe(changed(entity, 'deleted').length);
      }
    });

    it('matches the truth', async () => {
      for (const entity of PEOPLE) {
        expect(await liveIds(harness, entity), entity).toEqual(expectedIds(harness, entity));
      }
    });

    it('marks exactly the deleted records', async () => {
      for (const entity of PEOPLE) {
        expect(await deletedIds(harness, entity), entity).toEqual(changed(entity, 'deleted'));
      }
    });

    it('stores the updated records', async () => {
      for (const entity of PEOPLE) {
        const truth = await truthRecords(harness, entity);
        const rows = await harness.pool.query<{ id: string; raw: PendoRecord }>(
          `select id, raw from ${catalogTable(entity)} where id = any($1::text[])`,
          [changed(entity, 'updated')],
        );
        expect(rows.rows).toHaveLength(changed(entity, 'updated').length);
        for (const row of rows.rows) expect(row.raw, row.id).toEqual(truth.get(row.id));
      }
    });

    it('reports drift when Pendo changes', async () => {
      harness.simulator.mutate({ deletes: { accounts: 1 }, creates: { accounts: 1 } });
      const drift = await verifyEntity(harness.pool, pendoClient(harness), 'accounts', 'all');
      expect(drift.missing).toBe(1);
      expect(drift.extra).toBe(1);
    });
  });
});

describe('people sync with anonymous visitors', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({ sizes: SIZES });
    await syncPeople(harness, { entities: ['visitors'], anonymousVisitors: true });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('stores anonymous visitors too', async () => {
    const stored = await liveIds(harness, 'visitors');
    expect(stored).toEqual(expectedIds(harness, 'visitors', true));
    expect(stored.some(isAnonymous)).toBe(true);
  });

  it('flags anonymous visitors', async () => {
    const result = await harness.pool.query<{ id: string; is_anonymous: boolean }>(
      'select id, is_anonymous from pendo_visitors',
    );
    for (const row of result.rows) expect(row.is_anonymous, row.id).toBe(isAnonymous(row.id));
  });

  it('verifies anonymous visitors with the setting', async () => {
    const pendo = pendoClient(harness);
    const drift = await verifyEntity(harness.pool, pendo, 'visitors', 'all', {
      anonymousVisitors: true,
    });
    expect(hasDrift(drift)).toBe(false);
  });
});

describe('people sync with small pages', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startHarness({ sizes: SIZES });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('pages over ids with quotes and backslashes', async () => {
    const unusual = expectedIds(harness, 'visitors').filter((id) => /["'\\]|[^\x20-\x7e]/.test(id));
    expect(unusual.length).toBeGreaterThan(0);
    const run = await syncPeople(harness, { pageSize: 7, batchSize: 3 });
    for (const entity of PEOPLE) {
      expect(resultOf(run, entity).status, entity).toBe('completed');
      expect(await liveIds(harness, entity), entity).toEqual(expectedIds(harness, entity));
    }
  });

  it('pages incrementally through a shared timestamp', async () => {
    const shared = harness.simulator.setSharedTimestamp('visitors', 40);
    const updated = sorted(
      (shared.changes.visitors?.updated ?? []).filter((id) => !isAnonymous(id)),
    );
    expect(updated.length).toBeGreaterThan(7);
    const run = await syncPeople(harness, { pageSize: 7, batchSize: 3 });
    expect(resultOf(run, 'visitors').mode).toBe('incremental');
    expect(resultOf(run, 'visitors').counts.updated).toBe(updated.length);
    const rows = await harness.pool.query<{ id: string }>(
      'select id from pendo_visitors where last_updated_at = $1',
      [new Date(shared.lastTimestamp)],
    );
    expect(sorted(rows.rows.map((row) => row.id))).toEqual(updated);
  });

  it('marks deletions on a full pass without deletion checks', async () => {
    const mutation = harness.simulator.mutate({ deletes: { accounts: 4 } });
    const deleted = sorted(mutation.changes.accounts?.deleted ?? []);
    await syncPeople(harness, { entities: ['accounts'], detectDeletions: false });
    expect(await deletedIds(harness, 'accounts')).toEqual([]);
    const full = await syncPeople(harness, { entities: ['accounts'], full: true, pageSize: 7 });
    expect(resultOf(full, 'accounts').counts.deleted).toBe(deleted.length);
    expect(await deletedIds(harness, 'accounts')).toEqual(deleted);
  });

  it('restores records without lastupdated after an incremental run', async () => {
    const removed = await harness.pool.query<{ id: string }>(
      'delete from pendo_visitors where last_updated_at is null returning id',
    );
    const ids = sorted(removed.rows.map((row) => row.id));
    expect(ids.length).toBeGreaterThan(0);
    const run = await syncPeople(harness, { entities: ['visitors'] });
    expect(resultOf(run, 'visitors').mode).toBe('incremental');
    expect(resultOf(run, 'visitors').counts.inserted).toBe(ids.length);
    expect(await liveIds(harness, 'visitors')).toEqual(expectedIds(harness, 'visitors'));
  });
});

describe('people sync of records without lastupdated', () => {
  /** More than one request's 100 ids, so an incremental run pages through them. */
  const COUNT = 150;
  const CHANGED = ['untimed-005', 'untimed-140'];
  let harness: SyncHarness;
  let run: TestSyncRun;
  let syncedBefore: Map<string, number>;

  function visitorWithoutTime(id: string, email: string): PendoRecord {
    return { visitorId: id, metadata: { auto: { id, firstvisit: 1_000 }, agent: { email } } };
  }

  async function syncTimes(): Promise<Map<string, number>> {
    const result = await harness.pool.query<{ id: string; synced_at: Date }>(
      'select id, synced_at from pendo_visitors where last_updated_at is null',
    );
    return new Map(result.rows.map((row) => [row.id, row.synced_at.getTime()]));
  }

  beforeAll(async () => {
    harness = await startHarness({ sizes: SIZES });
    for (let index = 0; index < COUNT; index++) {
      const id = `untimed-${String(index).padStart(3, '0')}`;
      harness.simulator.putRecord('visitors', visitorWithoutTime(id, 'before@example.com'));
    }
    await syncPeople(harness, { entities: ['visitors'] });
    syncedBefore = await syncTimes();
    for (const id of CHANGED) {
      harness.simulator.putRecord('visitors', visitorWithoutTime(id, 'after@example.com'));
    }
    run = await syncPeople(harness, { entities: ['visitors'] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('stores them without a time', () => {
    expect(syncedBefore.size).toBeGreaterThan(COUNT);
  });

  it('runs incrementally', () => {
    expect(resultOf(run, 'visitors').mode).toBe('incremental');
    expect(resultOf(run, 'visitors').status).toBe('completed');
  });

  it('stores the changes', async () => {
    const rows = await harness.pool.query<{ id: string; raw: PendoRecord; email: string }>(
      'select id, raw, email from pendo_visitors where id = any($1::text[]) order by id',
      [CHANGED],
    );
    expect(rows.rows.map((row) => row.id)).toEqual(CHANGED);
    for (const row of rows.rows) {
      expect(row.raw, row.id).toEqual(visitorWithoutTime(row.id, 'after@example.com'));
      expect(row.email, row.id).toBe('after@example.com');
    }
  });

  it('counts only the changed records', () => {
    const counts = resultOf(run, 'visitors').counts;
    expect(counts.updated).toBe(CHANGED.length);
    expect(counts.inserted).toBe(0);
    expect(counts.unchanged).toBeGreaterThanOrEqual(syncedBefore.size - CHANGED.length);
  });

  it('rewrites no unchanged row', async () => {
    const syncedAfter = await syncTimes();
    expect(syncedAfter.size).toBe(syncedBefore.size);
    for (const [id, before] of syncedBefore) {
      if (CHANGED.includes(id)) expect(syncedAfter.get(id), id).toBeGreaterThan(before);
      else expect(syncedAfter.get(id), id).toBe(before);
    }
  });
});
