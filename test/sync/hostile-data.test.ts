import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogTable } from '../../src/db/rows';
import { DEFAULT_START_TIME } from '../../src/simulator/index';
import type { Entity } from '../../src/types';
import type { SyncHarness, TestSyncRun } from './helpers';
import { runTestSync, startHarness } from './helpers';

/** Guides read per aggregation page; every initial guide shares one `lastUpdatedAt`. */
const PAGE_SIZE = 3;
const BATCH_SIZE = 2;
const INITIAL_GUIDES = 25;
/** The time the simulator gives guides that share a timestamp: 12 hours before its start. */
const SHARED_TIME = DEFAULT_START_TIME - 12 * 60 * 60 * 1000;
/** Size of the large name: 10 MiB of ASCII plus multi-byte characters at both ends. */
const LARGE_NAME = `Ω${'x'.repeat(10 * 1024 * 1024)}😀`;

/** One hostile record: the JSON text the simulator sends and what `raw` must equal. */
interface HostileCase {
  entity: Entity;
  id: string;
  /** The JSON text served, byte for byte. */
  served: string;
  /** The JSON `raw` must equal (as jsonb): `served` with the documented replacements. */
  stored: string;
}

function sameText(entity: Entity, record: Record<string, unknown>): HostileCase {
  const text = JSON.stringify(record);
  const id = String(record.id ?? record.visitorId);
  return { entity, id, served: text, stored: text };
}

const BIG_NUMBERS_JSON =
  '{"id":"big-numbers","kind":"Guide","appId":9007199254740993,' +
  `"appIds":[9007199254740993,-323232],"lastUpdatedAt":${SHARED_TIME},` +
  '"createdAt":1733300000000,"createdByUser":{"id":9007199254740993},' +
  '"custom":123456789012345678901234567890,"negative":-9007199254740995,' +
  '"decimal":0.1000000000000000055511151231257827,"beyondDouble":1e400,' +
  '"nested":{"list":[12345678901234567890,1.5,-0]}}';

const OUT_OF_RANGE_JSON =
  '{"id":"bigint-out-of-range","kind":"Guide","appId":123456789012345678901234567890,' +
  `"appIds":[123456789012345678901234567890,5],"lastUpdatedAt":${SHARED_TIME},` +
  '"createdAt":1733300000000}';

const UNSTORABLE_JSON =
  '{"id":"nul-and-surrogates","kind":"Guide","appId":-323232,' +
  `"lastUpdatedAt":${SHARED_TIME},"name":"a\\u0000b","lone":"x\\ud800y\\udfff",` +
  '"state":"s\\udc00","key\\u0000":1,' +
  '"pair":"\\ud83d\\ude00","escapedText":"\\\\u0000 stays"}';

const UNSTORABLE_STORED =
  '{"id":"nul-and-surrogates","kind":"Guide","appId":-323232,' +
  `"lastUpdatedAt":${SHARED_TIME},"name":"a\\ufffdb","lone":"x\\ufffdy\\ufffd",` +
  '"state":"s\\ufffd","key\\ufffd":1,' +
  '"pair":"😀","escapedText":"\\\\u0000 stays"}';

const GUIDE_CASES: HostileCase[] = [
  sameText('guides', {
    id: `q"uote'd`,
    kind: 'Guide',
    appId: -323232,
    name: '<script>alert("x")</script><b onclick="steal()">bold</b> &amp; &lt;',
    lastUpdatedAt: SHARED_TIME,
    createdAt: SHARED_TIME,
  }),
  sameText('guides', {
    id: 'back\\slash\\\\end\\',
    kind: 'Guide',
    appId: -323232,
    name: '🚀 Launch 👩‍👩‍👧 ✓ family',
    lastUpdatedAt: SHARED_TIME,
    state: 'tab\there\nnew line\r\\N',
  }),
  sameText('guides', {
    id: 'ünï-çødé-日本-😀',
    kind: 'Guide',
    appId: -323232,
    name: 'مرحبا بالعالم שלום עולם \u202Eevil\u202C',
    lastUpdatedAt: SHARED_TIME,
  }),
  sameText('guides', { id: 'zero-last-updated', kind: 'Guide', appId: -323232, lastUpdatedAt: 0 }),
  sameText('guides', {
    id: 'zero-and-null-times',
    kind: 'Guide',
    appId: -323232,
    lastUpdatedAt: SHARED_TIME,
    createdAt: 0,
    publishedAt: 0,
    resetAt: null,
  }),
  {
    entity: 'guides',
    id: 'nul-and-surrogates',
    served: UNSTORABLE_JSON,
    stored: UNSTORABLE_STORED,
  },
  { entity: 'guides', id: 'big-numbers', served: BIG_NUMBERS_JSON, stored: BIG_NUMBERS_JSON },
  {
    entity: 'guides',
    id: 'bigint-out-of-range',
    served: OUT_OF_RANGE_JSON,
    stored: OUT_OF_RANGE_JSON,
  },
];

const REPORT_CASES: HostileCase[] = [
  sameText('reports', {
    id: 'report-null-times',
    kind: 'Report',
    lastUpdatedAt: null,
    createdAt: null,
    lastRunAt: 0,
  }),
  sameText('reports', { id: 'report-missing-times', kind: 'Report', name: 'no times' }),
  sameText('reports', { id: 'report-zero-times', kind: 'Report', lastUpdatedAt: 0, createdAt: 0 }),
];

/** Records whose ids PostgreSQL cannot store exactly; their entity fails with a clear error. */
const REJECTED_ID_CASES: { entity: Entity; served: string; error: string }[] = [
  {
    entity: 'features',
    served: `{"id":"feature-\\u0000-nul","kind":"Feature","appId":-323232,"lastUpdatedAt":${SHARED_TIME}}`,
    error:
      'Invalid features record: "id" "feature-\\u0000-nul" contains U+0000 or a lone surrogate',
  },
  {
    entity: 'track_types',
    served: `{"id":"track-type-\\ud800-lone","kind":"TrackType","appId":-323232,"lastUpdatedAt":${SHARED_TIME}}`,
    error: 'Invalid track_types record: "id" "track-type-\\ud800-lone" contains U+0000',
  },
  {
    entity: 'segments',
    served: JSON.stringify({ id: `segment-${'é'.repeat(1500)}`, kind: 'Segment' }),
    error: 'Invalid segments record: "id" is 3008 bytes long, more than the 2000 bytes',
  },
];

const VISITOR_ID = 'visitor "ü" \\ <b>';

/** Returns the hostile visitor's JSON for a run: `plan` is a string, a number, then an object. */
function visitorJson(run: number): string {
  const plans = ['"gold"', '42', '{"tier":"gold","seats":9007199254740993}'];
  return (
    `{"visitorId":${JSON.stringify(VISITOR_ID)},"metadata":{"auto":{"id":${JSON.stringify(VISITOR_ID)},` +
    `"lastupdated":${DEFAULT_START_TIME - 1000 + run},"firstvisit":0,"lastvisit":null},` +
    `"agent":{"email":"<img src=x onerror=alert(1)>@example.com","name":"a\\u0000b"},` +
    `"custom":{"plan":${plans[run] ?? 'null'},"bigCustom":123456789012345678901234567890,` +
    `"notes":${JSON.stringify(LARGE_NAME)}}}}`
  );
}

function visitorStored(run: number): string {
  return visitorJson(run).replace('a\\u0000b', 'a\\ufffdb');
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

describe('hostile data', () => {
  let harness: SyncHarness;
  const runs: TestSyncRun[] = [];
  /** After each run: whether `raw` and `metadata` equal what was served, and the type of `plan`. */
  const visitorAfterRun: { rawEqual: boolean; metadataEqual: boolean; plan: string }[] = [];

  async function rawEquals(entity: Entity, id: string, json: string): Promise<boolean | null> {
    const result = await harness.pool.query<{ equal: boolean }>(
      `select raw = $2::jsonb as equal from ${catalogTable(entity)} where id = $1`,
      [id, json],
    );
    return result.rows[0]?.equal ?? null;
  }

  async function row(entity: Entity, id: string): Promise<Record<string, unknown> | undefined> {
    const result = await harness.pool.query<Record<string, unknown>>(
      `select *, app_id::text as app_id_text, app_ids::text as app_ids_text
       from ${catalogTable(entity)} where id = $1`,
      [id],
    );
    return result.rows[0];
  }

  async function recordVisitor(run: number): Promise<void> {
    const result = await harness.pool.query<{
      raw_equal: boolean;
      metadata_equal: boolean;
      plan: string;
    }>(
      `select raw = $2::jsonb as raw_equal, metadata = ($2::jsonb -> 'metadata') as metadata_equal,
              jsonb_typeof(raw #> '{metadata,custom,plan}') as plan
       from pendo_visitors where id = $1`,
      [VISITOR_ID, visitorStored(run)],
    );
    const found = result.rows[0];
    visitorAfterRun.push({
      rawEqual: found?.raw_equal ?? false,
      metadataEqual: found?.metadata_equal ?? false,
      plan: found?.plan ?? 'missing',
    });
  }

  async function sync(): Promise<TestSyncRun> {
    const run = await runTestSync(harness, {
      entities: ['guides', 'features', 'track_types', 'reports', 'segments', 'visitors'],
      pageSize: PAGE_SIZE,
      batchSize: BATCH_SIZE,
    });
    runs.push(run);
    return run;
  }

  beforeAll(async () => {
    harness = await startHarness({
      sizes: { guides: INITIAL_GUIDES, reports: 3, visitors: 12, accounts: 3 },
      sharedTimestamps: { guides: INITIAL_GUIDES },
    });
    const { simulator } = harness;
    for (const item of [...GUIDE_CASES, ...REPORT_CASES, ...REJECTED_ID_CASES]) {
      simulator.putRecord(item.entity, item.served);
    }
    simulator.putRecord('guides', {
      id: 'ten-megabytes',
      kind: 'Guide',
      appId: -323232,
      lastUpdatedAt: SHARED_TIME,
      name: LARGE_NAME,
    });
    // The first report response repeats its first two records at its end.
    simulator.injectFault({ path: 'report', duplicateRecords: 2 });
    for (let run = 0; run < 3; run++) {
      simulator.putRecord('visitors', visitorJson(run));
      await sync();
      await recordVisitor(run);
    }
  }, 120_000);

  afterAll(async () => {
    await harness.close();
  });

  it.each(['guides', 'reports', 'visitors'] as const)('completes %s in every run', (entity) => {
    for (const run of runs) {
      const result = run.summary.results.find((item) => item.entity === entity);
      expect(result?.status, result?.error).toBe('completed');
    }
  });

  it.each(REJECTED_ID_CASES.map((item) => [item.error, item] as const))(
    'rejects an id: %s',
    (_error, item) => {
      for (const run of runs) {
        const result = run.summary.results.find((found) => found.entity === item.entity);
        expect(result?.status).toBe('failed');
        expect(result?.error).toContain(item.error);
      }
    },
  );

  it.each([...GUIDE_CASES, ...REPORT_CASES].map((item) => [item.id, item] as const))(
    'stores raw %s exactly',
    async (_id, item) => {
      expect(await rawEquals(item.entity, item.id, item.stored)).toBe(true);
    },
  );

  it('stores every guide once', async () => {
    const result = await harness.pool.query<{ count: string }>(
      'select count(*) as count from pendo_guides',
    );
    expect(Number(result.rows[0]?.count)).toBe(INITIAL_GUIDES + GUIDE_CASES.length + 1);
    expect(runs[0]?.result('guides').counts.inserted).toBe(INITIAL_GUIDES + GUIDE_CASES.length + 1);
  });

  it('stores duplicated report ids once', async () => {
    const served = harness.simulator.requestLog.find((entry) => entry.path === '/api/v1/report');
    expect(served?.fault).toBe('modified');
    const result = await harness.pool.query<{ id: string }>('select id from pendo_reports');
    expect(result.rows).toHaveLength(3 + REPORT_CASES.length);
  });

  it('keeps names and ids verbatim', async () => {
    for (const item of GUIDE_CASES.slice(0, 3)) {
      const record = JSON.parse(item.served) as Record<string, unknown>;
      const found = await row('guides', item.id);
      expect(found?.id).toBe(item.id);
      expect(found?.name).toBe(record.name);
    }
    expect((await row('guides', 'back\\slash\\\\end\\'))?.state).toBe('tab\there\nnew line\r\\N');
  });

  it('replaces NUL and lone surrogates in columns', async () => {
    const found = await row('guides', 'nul-and-surrogates');
    expect(found?.name).toBe('a\uFFFDb');
  });

  it('keeps every digit of big integers', async () => {
    const result = await harness.pool.query<Record<string, string>>(
      `select raw->>'appId' as app_id, raw->>'custom' as custom, raw->>'negative' as negative,
              raw->>'decimal' as decimal, raw #>> '{nested,list,0}' as nested,
              raw #>> '{createdByUser,id}' as user_id
       from pendo_guides where id = 'big-numbers'`,
    );
    expect(result.rows[0]?.app_id).toBe('9007199254740993');
    expect(result.rows[0]?.custom).toBe('123456789012345678901234567890');
    expect(result.rows[0]?.negative).toBe('-9007199254740995');
    expect(result.rows[0]?.decimal).toBe('0.1000000000000000055511151231257827');
    expect(result.rows[0]?.nested).toBe('12345678901234567890');
    expect(result.rows[0]?.user_id).toBe('9007199254740993');
  });

  it('types big integers in bigint range', async () => {
    const found = await row('guides', 'big-numbers');
    expect(found?.app_id_text).toBe('9007199254740993');
    expect(found?.app_ids_text).toBe('{9007199254740993,-323232}');
    expect(found?.created_by_user_id).toBe('9007199254740993');
  });

  it('maps integers beyond bigint to NULL', async () => {
    const found = await row('guides', 'bigint-out-of-range');
    expect(found?.app_id).toBeNull();
    expect(found?.app_ids_text).toBe('{5}');
  });

  it('maps 0 and null times to NULL', async () => {
    const guide = await row('guides', 'zero-and-null-times');
    expect(guide?.created_at).toBeNull();
    expect(guide?.published_at).toBeNull();
    expect(guide?.reset_at).toBeNull();
    expect(guide?.expires_at).toBeNull();
    expect(guide?.last_updated_at).toEqual(new Date(SHARED_TIME));
    for (const id of ['report-null-times', 'report-missing-times', 'report-zero-times']) {
      const report = await row('reports', id);
      expect(report?.last_updated_at, id).toBeNull();
      expect(report?.created_at, id).toBeNull();
      expect(report?.last_run_at, id).toBeNull();
    }
  });

  it('stores a 10 MB name whole', async () => {
    const result = await harness.pool.query<{ length: number; name: string; raw: string }>(
      `select length(name) as length, md5(name) as name, md5(raw->>'name') as raw
       from pendo_guides where id = 'ten-megabytes'`,
    );
    expect(result.rows[0]?.length).toBe([...LARGE_NAME].length);
    expect(result.rows[0]?.name).toBe(md5(LARGE_NAME));
    expect(result.rows[0]?.raw).toBe(md5(LARGE_NAME));
  });

  it('follows a custom field changing type', () => {
    expect(visitorAfterRun.map((entry) => entry.plan)).toEqual(['string', 'number', 'object']);
    for (const entry of visitorAfterRun) {
      expect(entry.rawEqual).toBe(true);
      expect(entry.metadataEqual).toBe(true);
    }
  });

  it('types the hostile visitor columns', async () => {
    const result = await harness.pool.query<Record<string, unknown>>(
      'select * from pendo_visitors where id = $1',
      [VISITOR_ID],
    );
    const found = result.rows[0];
    expect(found?.email).toBe('<img src=x onerror=alert(1)>@example.com');
    expect(found?.first_visit).toBeNull();
    expect(found?.last_visit).toBeNull();
    expect(found?.last_updated_at).toEqual(new Date(DEFAULT_START_TIME - 1000 + 2));
  });
});
