import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncHarness, TestSyncRun } from '../sync/helpers';
import { rowCount, runLog, runTestSync, startHarness } from '../sync/helpers';

/**
 * Makes the first COMMIT of a transaction that changes `pendo_guides` as `event` (on rows
 * matching `condition`) fail with a serialization failure, which withTransaction retries.
 * A sequence counts the firings because, unlike a table, it is not rolled back.
 */
async function failFirstCommit(
  harness: SyncHarness,
  name: string,
  event: string,
  condition: string,
) {
  await harness.pool.query(`create sequence ${name}_firings`);
  await harness.pool.query(`
    create function ${name}() returns trigger language plpgsql as $$
    begin
      if nextval('${name}_firings') = 1 then
        raise exception 'injected commit failure' using errcode = '40001';
      end if;
      return null;
    end $$`);
  await harness.pool.query(`
    create constraint trigger ${name} after ${event} on pendo_guides
    deferrable initially deferred for each row when (${condition}) execute function ${name}()`);
}

// A batch transaction that is retried after a failed attempt (a terminated session, a lost
// connection) must count its rows once in the run log, not once per attempt.
describe('counts of a retried transaction', () => {
  let harness: SyncHarness;
  let first: TestSyncRun;
  let second: TestSyncRun;
  let deleted: string[];

  beforeAll(async () => {
    harness = await startHarness();
    await failFirstCommit(harness, 'fail_first_insert', 'insert', 'true');
    first = await runTestSync(harness, { entities: ['guides'], batchSize: 10 });
    deleted = harness.simulator.mutate({ deletes: { guides: 3 } }).changes.guides?.deleted ?? [];
    await failFirstCommit(harness, 'fail_first_delete', 'update', 'new.deleted_at is not null');
    second = await runTestSync(harness, { entities: ['guides'] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('counts inserts once', async () => {
    const total = await rowCount(harness.pool, 'guides');
    expect(first.result('guides').status).toBe('completed');
    expect(first.result('guides').counts.inserted).toBe(total);
    const [row] = await runLog(harness.pool, first.summary.runId);
    expect(Number(row?.inserted)).toBe(total);
  });

  it('counts deletions once', async () => {
    expect(second.result('guides').mode).toBe('incremental');
    expect(second.result('guides').counts.deleted).toBe(deleted.length);
    const [row] = await runLog(harness.pool, second.summary.runId);
    expect(Number(row?.deleted)).toBe(deleted.length);
  });
});
