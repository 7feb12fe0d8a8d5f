import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../src/simulator/index';
import type { PendoRecord } from '../../../src/types';
import { aggregate, getText } from '../helpers';
import { startActivitySimulator, tryAggregate } from './activity-helpers';

/** Keys of the visitor row in Pendo's published sandbox example. */
const SAMPLE_VISITOR_AUTO_KEYS = [
  'accountid',
  'accountids',
  'firstvisit',
  'id',
  'idhash',
  'lastbrowsername',
  'lastbrowserversion',
  'lastoperatingsystem',
  'lastservername',
  'lastupdated',
  'lastuseragent',
  'lastvisit',
  'nid',
];
/** Keys of the flattened account row in Pendo's published sandbox example. */
const SAMPLE_ACCOUNT_KEYS = [
  'accountId',
  'arrannuallyrecurringrevenue',
  'customersuccessmanager',
  'firstvisit',
  'industry',
  'lastupdated',
  'lastvisit',
  'name',
  'planlevel',
  'renewaldate',
  'totallicenses',
];

let sim: Simulator;
let visitors: PendoRecord[];

beforeAll(async () => {
  sim = await startActivitySimulator({ sizes: { visitors: 2000, accounts: 150 } });
  visitors = await aggregate(sim, [{ source: { visitors: null } }]);
});
afterAll(async () => {
  await sim.close();
});

type Metadata = Record<string, Record<string, unknown> | undefined>;
const metadataOf = (row: PendoRecord | undefined): Metadata => (row?.metadata ?? {}) as Metadata;
const isAnonymous = (row: PendoRecord): boolean => String(row.visitorId).startsWith('_PENDO_T_');
const isDoNotProcess = (row: PendoRecord): boolean => metadataOf(row).pendo?.donotprocess === true;

describe('visitors source', () => {
  it('returns every visitor', () => {
    expect(visitors).toHaveLength(2000);
    expect(sim.counts().visitors.total).toBe(2000);
    expect(visitors.map((row) => row.visitorId)).toEqual(sim.truthIds('visitors'));
  });

  it('identified rows have the sample auto keys', () => {
    const identified = visitors.filter(
      (row) => !isAnonymous(row) && !isDoNotProcess(row) && metadataOf(row).auto?.lastupdated,
    );
    const withAccount = identified.find((row) => metadataOf(row).auto?.accountid);
    expect(Object.keys(metadataOf(withAccount).auto ?? {}).sort()).toEqual(
      SAMPLE_VISITOR_AUTO_KEYS,
    );
    for (const row of identified) {
      const auto = metadataOf(row).auto ?? {};
      expect(Object.keys(auto).every((key) => key === key.toLowerCase())).toBe(true);
      expect(auto.id).toBe(row.visitorId);
    }
  });

  it('has per-app auto groups named without the sign', () => {
    const groups = new Set(visitors.flatMap((row) => Object.keys(metadataOf(row))));
    expect(groups.has('auto__323232')).toBe(true);
    expect([...groups].filter((group) => group.startsWith('auto__')).length).toBeGreaterThan(1);
    expect([...groups].some((group) => group.startsWith('auto__-'))).toBe(false);
  });

  it('mixes anonymous, do-not-process and odd ids', () => {
    const anonymous = visitors.filter(isAnonymous);
    const doNotProcess = visitors.filter(isDoNotProcess);
    const odd = visitors.filter((row) => /["\\]|[^\x20-\x7e]/.test(String(row.visitorId)));
    expect(anonymous.length / visitors.length).toBeGreaterThan(0.2);
    expect(doNotProcess.length).toBeGreaterThan(10);
    expect(Object.keys(metadataOf(doNotProcess[0]))).toEqual(['auto', 'pendo']);
    expect(odd.length / visitors.length).toBeGreaterThan(0.01);
    expect(odd.length / visitors.length).toBeLessThan(0.06);
    expect(new Set(visitors.map((row) => row.visitorId)).size).toBe(visitors.length);
  });

  it('some lack lastupdated and custom values are often null', () => {
    const missing = visitors.filter((row) => metadataOf(row).auto?.lastupdated === undefined);
    expect(missing.length).toBeGreaterThan(20);
    const customValues = visitors.flatMap((row) => Object.values(metadataOf(row).custom ?? {}));
    const nulls = customValues.filter((value) => value === null).length;
    expect(nulls / customValues.length).toBeGreaterThan(0.4);
  });

  it('identified param and operator agree', async () => {
    const named = await aggregate(sim, [{ source: { visitors: { identified: true } } }]);
    const operator = await aggregate(sim, [
      { source: { visitors: null } },
      { identified: 'visitorId' },
    ]);
    const negated = await aggregate(sim, [
      { source: { visitors: null } },
      { identified: '!visitorId' },
    ]);
    const anonymous = await aggregate(sim, [{ source: { visitors: { identified: false } } }]);
    expect(named).toEqual(operator);
    expect(anonymous).toEqual(negated);
    expect(named.length + anonymous.length).toBe(visitors.length);
    expect(anonymous.every(isAnonymous)).toBe(true);
  });

  it('count operator', async () => {
    const rows = await aggregate(sim, [{ source: { visitors: null } }, { count: null }]);
    expect(rows).toEqual([{ count: 2000 }]);
  });
});

describe('visitor keyset paging', () => {
  it('pages through odd ids with escaped filters', async () => {
    // The simulator compares strings by UTF-16 code unit, as Array.prototype.sort does.
    const expected = [...sim.truthIds('visitors')].sort();
    const seen: unknown[] = [];
    let last = '';
    for (let page = 0; page < 20; page++) {
      const rows = await aggregate(sim, [
        { source: { visitors: null } },
        { filter: `visitorId > ${JSON.stringify(last)}` },
        { sort: ['visitorId'] },
        { limit: 250 },
        { select: { visitorId: 'visitorId' } },
      ]);
      seen.push(...rows.map((row) => row.visitorId));
      if (rows.length < 250) break;
      last = String(rows[rows.length - 1]?.visitorId);
    }
    expect(seen).toEqual(expected);
    expect(expected.some((id) => id.includes('"'))).toBe(true);
    expect(expected.some((id) => id.includes('\\'))).toBe(true);
  });

  it('pages on lastupdated ties with an id tiebreak', async () => {
    const keys = { visitorId: 'visitorId', lastupdated: 'metadata.auto.lastupdated' };
    const all = await aggregate(sim, [
      { source: { visitors: null } },
      { filter: 'metadata.auto.lastupdated >= 0' },
      { sort: ['metadata.auto.lastupdated', 'visitorId'] },
      { select: keys },
    ]);
    const times = all.map((row) => row.lastupdated);
    expect(new Set(times).size).toBeLessThan(times.length);
    const paged: PendoRecord[] = [];
    let filter = 'metadata.auto.lastupdated >= 0';
    for (let page = 0; page < 20; page++) {
      const rows = await aggregate(sim, [
        { source: { visitors: null } },
        { filter },
        { sort: ['metadata.auto.lastupdated', 'visitorId'] },
        { limit: 300 },
        { select: keys },
      ]);
      paged.push(...rows);
      if (rows.length < 300) break;
      const tail = rows[rows.length - 1] ?? {};
      const time = Number(tail.lastupdated);
      const id = JSON.stringify(tail.visitorId);
      filter = `metadata.auto.lastupdated > ${time} || (metadata.auto.lastupdated == ${time} && visitorId > ${id})`;
    }
    expect(paged).toEqual(all);
  });
});

describe('single person endpoints', () => {
  it('visitor by id equals the aggregation row', async () => {
    const odd = visitors.find((row) => String(row.visitorId).includes('"')) ?? {};
    const { status, text } = await getText(
      sim,
      `/api/v1/visitor/${encodeURIComponent(String(odd.visitorId))}`,
    );
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual(odd);
  });

  it('base64 id also works', async () => {
    const row = visitors[5] ?? {};
    const encoded = Buffer.from(String(row.visitorId)).toString('base64');
    const { status, text } = await getText(sim, `/api/v1/visitor/${encodeURIComponent(encoded)}`);
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual(row);
  });

  it('missing visitor and account are 404', async () => {
    expect((await getText(sim, '/api/v1/visitor/no-such-visitor')).status).toBe(404);
    expect((await getText(sim, '/api/v1/account/no-such-account')).status).toBe(404);
  });

  it('account by id', async () => {
    const [first] = await aggregate(sim, [{ source: { accounts: null } }, { limit: 1 }]);
    const { status, text } = await getText(
      sim,
      `/api/v1/account/${encodeURIComponent(String(first?.accountId))}`,
    );
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual(first);
  });
});

describe('accounts source', () => {
  it('flattened select has the sample keys', async () => {
    const rows = await aggregate(sim, [
      { source: { accounts: null } },
      { filter: 'metadata.auto.lastupdated > 0' },
      {
        select: {
          accountId: 'accountId',
          arrannuallyrecurringrevenue: 'metadata.custom.arrannuallyrecurringrevenue',
          customersuccessmanager: 'metadata.custom.customersuccessmanager',
          firstvisit: 'metadata.auto.firstvisit',
          industry: 'metadata.custom.industry',
          lastupdated: 'metadata.auto.lastupdated',
          lastvisit: 'metadata.auto.lastvisit',
          name: 'metadata.agent.name',
          planlevel: 'metadata.custom.planlevel',
          renewaldate: 'metadata.custom.renewaldate',
          totallicenses: 'metadata.custom.totallicenses',
        },
      },
    ]);
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(SAMPLE_ACCOUNT_KEYS);
      expect(typeof row.lastupdated).toBe('number');
    }
    expect(rows.filter((row) => row.industry === null).length).toBeGreaterThan(rows.length / 3);
  });

  it('some accounts lack lastupdated', async () => {
    const rows = await aggregate(sim, [{ source: { accounts: null } }]);
    expect(rows).toHaveLength(150);
    const auto = rows.map((row) => metadataOf(row).auto ?? {});
    expect(auto.some((group) => !('lastupdated' in group))).toBe(true);
  });
});

describe('people mutations', () => {
  it('creates, updates and deletes visitors and accounts', async () => {
    const before = sim.clock.now();
    const summary = sim.mutate({
      creates: { visitors: 3 },
      updates: { visitors: 4, accounts: 2 },
      deletes: { accounts: 1 },
    });
    const changes = summary.changes.visitors;
    expect(changes?.created).toHaveLength(3);
    expect(changes?.updated).toHaveLength(4);
    expect(summary.changes.accounts?.deleted).toHaveLength(1);
    expect(sim.counts().visitors.total).toBe(2003);
    expect(sim.counts().accounts.total).toBe(149);
    const updatedId = changes?.updated[0] ?? '';
    const rows = await aggregate(sim, [
      { source: { visitors: null } },
      { filter: `metadata.auto.lastupdated > ${before}` },
      { sort: ['metadata.auto.lastupdated'] },
    ]);
    const ids = rows.map((row) => row.visitorId);
    expect(ids).toContain(updatedId);
    expect(ids).toHaveLength(7);
    expect(Number(metadataOf(rows[6]).auto?.lastupdated)).toBeLessThanOrEqual(sim.clock.now());
    const deleted = summary.changes.accounts?.deleted[0] ?? '';
    const lookup = await getText(sim, `/api/v1/account/${encodeURIComponent(deleted)}`);
    expect(lookup.status).toBe(404);
    visitors = await aggregate(sim, [{ source: { visitors: null } }]);
  });

  it('rejects a negative count', async () => {
    const { status } = await fetch(`${sim.url}/_simulator/mutate`, {
      method: 'POST',
      body: JSON.stringify({ creates: { visitors: -1 } }),
    });
    expect(status).toBe(400);
  });
});

describe('people determinism', () => {
  it('same seed gives the same visitors', async () => {
    const other = await startActivitySimulator({ sizes: { visitors: 2000, accounts: 150 } });
    try {
      const fresh = await aggregate(other, [{ source: { visitors: null } }, { limit: 500 }]);
      const again = await startActivitySimulator({ sizes: { visitors: 2000, accounts: 150 } });
      const repeat = await aggregate(again, [{ source: { visitors: null } }, { limit: 500 }]);
      await again.close();
      expect(repeat).toEqual(fresh);
    } finally {
      await other.close();
    }
  });

  it('invalid identified is 422', async () => {
    const { status } = await tryAggregate(sim, [{ source: { visitors: { identified: 'yes' } } }]);
    expect(status).toBe(422);
  });
});

describe('people control routes', () => {
  it('truth route streams visitors', async () => {
    const response = await fetch(`${sim.url}/_simulator/truth/visitors`);
    expect(response.status).toBe(200);
    const rows = (await response.json()) as PendoRecord[];
    expect(rows.map((row) => row.visitorId)).toEqual(sim.truthIds('visitors'));
  });

  it('unknown truth entity is 400', async () => {
    const response = await fetch(`${sim.url}/_simulator/truth/gizmos`);
    expect(response.status).toBe(400);
  });

  it('shared timestamp for visitors', async () => {
    const summary = sim.setSharedTimestamp('visitors', 5);
    const updated = summary.changes.visitors?.updated ?? [];
    expect(updated).toHaveLength(5);
    const rows = await aggregate(sim, [
      { source: { visitors: null } },
      { filter: `metadata.auto.lastupdated == ${summary.lastTimestamp}` },
    ]);
    expect(rows.map((row) => row.visitorId).sort()).toEqual([...updated].sort());
    expect(summary.lastTimestamp).toBe(sim.clock.now());
  });
});
