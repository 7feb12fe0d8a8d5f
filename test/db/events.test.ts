import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  ensurePartitions,
  listPartitions,
  partitionsOverlapping,
} from '../../src/db/events/partitions';
import { replaceWindowRows } from '../../src/db/events/replace-window';
import { copyEventRows, dropEventStage, resetEventStage } from '../../src/db/events/stage-rows';
import type { PendoRecord } from '../../src/types';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';

const DAY = Date.parse('2026-11-30T05:00:00Z'); // 2026-11-30 in New York, ending in December UTC
const NEXT_DAY = Date.parse('2026-12-01T05:00:00Z');

function pageRow(visitorId: string, overrides: PendoRecord = {}): PendoRecord {
  return {
    appId: -323232,
    day: DAY,
    pageId: 'page-1',
    visitorId,
    accountId: '',
    numEvents: 3,
    numMinutes: 2,
    firstTime: DAY + 1000,
    lastTime: DAY + 61_000,
    parameters: null,
    ...overrides,
  };
}

function rowsOf(rows: PendoRecord[]): AsyncIterable<PendoRecord> {
  return Readable.from(rows) as AsyncIterable<PendoRecord>;
}

/** Stages `rows` and replaces the window of DAY with them, in one transaction. */
async function writeWindow(pool: pg.Pool, rows: PendoRecord[], appIds: number[] | 'all' = 'all') {
  const client = await pool.connect();
  try {
    await resetEventStage(client);
    await copyEventRows(client, rowsOf(rows));
    await client.query('begin');
    await ensurePartitions(client, 'pendo_page_events', DAY, NEXT_DAY);
    const counts = await replaceWindowRows(client, {
      stream: 'page_events',
      from: DAY,
      to: NEXT_DAY,
      appIds,
    });
    await client.query('commit');
    await dropEventStage(client);
    return counts;
  } finally {
    client.release();
  }
}

describe('event window writes', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('lists the UTC months a window overlaps', () => {
    expect(partitionsOverlapping('pendo_page_events', DAY, NEXT_DAY).map((p) => p.name)).toEqual([
      'pendo_page_events_p202611',
      'pendo_page_events_p202612',
    ]);
  });

  it('inserts new rows and collapses exact duplicates', async () => {
    const counts = await writeWindow(database.pool, [
      pageRow('a'),
      pageRow('b'),
      pageRow('b'),
      pageRow('o\'neil "x" \\ y'),
    ]);
    expect(counts).toEqual({ inserted: 3, unchanged: 0, deleted: 0 });
    expect((await listPartitions(database.pool, 'pendo_page_events')).length).toBe(2);
    const rows = await database.pool.query<{ visitor_id: string; account_id: string | null }>(
      'select visitor_id, account_id from pendo_page_events order by visitor_id',
    );
    expect(rows.rows.map((row) => row.visitor_id)).toEqual(['a', 'b', 'o\'neil "x" \\ y']);
    expect(rows.rows.every((row) => row.account_id === null)).toBe(true);
  });

  it('extracts typed columns from the raw row', async () => {
    const result = await database.pool.query<{
      period: string;
      bucket_start: Date;
      first_time: Date;
      num_events: string;
      page_id: string;
      parameters: unknown;
    }>(`select * from pendo_page_events where visitor_id = 'a'`);
    const row = result.rows[0];
    expect(row?.period).toBe('day');
    expect(row?.bucket_start.getTime()).toBe(DAY);
    expect(row?.first_time.getTime()).toBe(DAY + 1000);
    expect(row?.num_events).toBe('3');
    expect(row?.page_id).toBe('page-1');
    expect(row?.parameters).toBeNull();
  });

  it('leaves unchanged rows untouched and replaces changed ones', async () => {
    const before = await database.pool.query<{ visitor_id: string; version: string }>(
      `select visitor_id, xmin::text as version from pendo_page_events where visitor_id = 'a'`,
    );
    const counts = await writeWindow(database.pool, [
      pageRow('a'),
      pageRow('b', { numEvents: 4 }),
      pageRow('o\'neil "x" \\ y'),
    ]);
    expect(counts).toEqual({ inserted: 1, unchanged: 2, deleted: 1 });
    const after = await database.pool.query<{ version: string }>(
      `select xmin::text as version from pendo_page_events where visitor_id = 'a'`,
    );
    expect(after.rows[0]?.version).toBe(before.rows[0]?.version);
    const total = await database.pool.query<{ events: string }>(
      'select sum(num_events) as events from pendo_page_events',
    );
    expect(total.rows[0]?.events).toBe('10');
  });

  it('keeps the rows of apps outside the window scope', async () => {
    await writeWindow(database.pool, [pageRow('other', { appId: 7 })], [7]);
    const counts = await writeWindow(database.pool, [], [-323232]);
    expect(counts.deleted).toBe(3);
    const left = await database.pool.query<{ visitor_id: string }>(
      'select visitor_id from pendo_page_events',
    );
    expect(left.rows.map((row) => row.visitor_id)).toEqual(['other']);
  });
});
