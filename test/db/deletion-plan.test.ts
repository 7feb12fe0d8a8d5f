import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSING_ROWS_CONDITION, preferHashJoins } from '../../src/db/mark-missing-deleted';
import { mergeRecords } from '../../src/db/merge-records';
import { recordSeenIds } from '../../src/db/record-seen-ids';
import { withTransaction } from '../../src/db/transaction';
import { createTestDatabase } from '../helpers/database';
import type { TestDatabase } from '../helpers/database';
import { featureRecord } from '../helpers/records';

const ROWS = 2000;

describe('deletion query plan', () => {
  let database: TestDatabase;
  const passId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase();
    const records = Array.from({ length: ROWS }, (_, index) => featureRecord(`feature-${index}`));
    const ids = records.map((record) => String(record.id));
    await withTransaction(database.pool, async (client) => {
      await mergeRecords(client, 'features', records);
      await recordSeenIds(client, 'features', passId, ids);
    });
  });

  afterAll(async () => {
    await database.drop();
  });

  async function planWithHashJoins(): Promise<string> {
    return withTransaction(database.pool, async (client) => {
      await preferHashJoins(client);
      const result = await client.query<{ 'QUERY PLAN': string }>(
        `explain select count(*) from pendo_features as target where ${MISSING_ROWS_CONDITION}`,
        ['features', passId, null],
      );
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  it('avoids nested loops on unanalysed tables', async () => {
    const plan = await planWithHashJoins();
    expect(plan).not.toContain('Nested Loop');
    expect(plan).toContain('Anti Join');
  });
});
