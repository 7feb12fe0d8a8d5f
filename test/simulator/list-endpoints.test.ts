import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import { DEFAULT_APP_ID } from '../../src/types';
import type { PendoRecord } from '../../src/types';
import { collect, getJson, getText, ids, startSmallSimulator } from './helpers';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSmallSimulator();
});
afterAll(async () => {
  await sim.close();
});

const LIST_PATHS = ['guide', 'feature', 'page', 'tracktype', 'report', 'segment'] as const;

describe('list endpoints', () => {
  it.each(LIST_PATHS)('%s returns a bare JSON array', async (path) => {
    const { status, text, headers } = await getText(sim, `/api/v1/${path}`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('application/json');
    const records = JSON.parse(text) as unknown;
    expect(Array.isArray(records)).toBe(true);
    expect((records as unknown[]).length).toBeGreaterThan(0);
  });

  it('guide without expand has only the default app', async () => {
    const guides = await getJson(sim, '/api/v1/guide');
    expect(guides.length).toBe(sim.counts().guides.byApp[String(DEFAULT_APP_ID)]);
    expect(new Set(guides.map((guide) => guide.appId))).toEqual(new Set([DEFAULT_APP_ID]));
  });

  it('guide with expand=* has every app', async () => {
    const guides = await getJson(sim, '/api/v1/guide?expand=*');
    expect(guides.length).toBe(sim.counts().guides.total);
    expect(new Set(guides.map((guide) => guide.appId)).size).toBe(3);
    expect(ids(guides)).toEqual(sim.truthIds('guides', { allApps: true }));
  });

  it('reports ignore expand because they belong to no app', async () => {
    const plain = await getJson(sim, '/api/v1/report');
    const expanded = await getJson(sim, '/api/v1/report?expand=*');
    expect(plain.length).toBe(sim.counts().reports.total);
    expect(expanded.length).toBe(plain.length);
    expect(plain[0]).not.toHaveProperty('appId');
  });

  it('list equals truth', async () => {
    const listed = await getJson(sim, '/api/v1/feature?expand=*');
    const truth = await collect(sim.truth('features', { allApps: true }));
    expect(listed).toEqual(truth);
  });

  it('id parameter selects a comma list', async () => {
    const all = await getJson(sim, '/api/v1/page?expand=*');
    const requested = [all[3], all[7]].map((page) => String(page?.id));
    const selected = await getJson(sim, `/api/v1/page?id=${requested.join(',')}`);
    expect(ids(selected)).toEqual(requested);
  });

  it('record path returns one object', async () => {
    const [first] = await getJson(sim, '/api/v1/feature');
    const record = await getJson<PendoRecord>(sim, `/api/v1/feature/${String(first?.id)}`);
    expect(record).toEqual(first);
  });

  it('record path answers 404 text for unknown ids', async () => {
    const { status, text, headers } = await getText(sim, '/api/v1/guide/doesNotExist123');
    expect(status).toBe(404);
    expect(headers.get('content-type')).toContain('text/plain');
    expect(text).toContain('doesNotExist123');
  });

  it('segment createdByApi=true filters', async () => {
    const all = await getJson(sim, '/api/v1/segment');
    const byApi = await getJson(sim, '/api/v1/segment?createdByApi=true');
    expect(byApi.every((segment) => segment.createdByApi === true)).toBe(true);
    expect(byApi.length).toBe(all.filter((segment) => segment.createdByApi === true).length);
  });

  it('unknown path answers Go-style 404 text', async () => {
    const { status, text } = await getText(sim, '/api/v1/nothing');
    expect(status).toBe(404);
    expect(text).toBe('404 page not found');
  });

  it('wrong method answers 405', async () => {
    const response = await fetch(`${sim.url}/api/v1/guide`, {
      method: 'POST',
      headers: { 'x-pendo-integration-key': sim.apiKey },
      body: '{}',
    });
    expect(response.status).toBe(405);
  });
});

describe('metadata schema', () => {
  it.each(['visitor', 'account'])('%s schema has four groups of typed fields', async (kind) => {
    const schema = await getJson<Record<string, Record<string, Record<string, unknown>>>>(
      sim,
      `/api/v1/metadata/schema/${kind}`,
    );
    expect(Object.keys(schema).sort()).toEqual(['agent', 'auto', 'custom', 'pendo']);
    const field = schema.auto?.lastvisit;
    expect(field?.Type).toBe('time');
    expect(Object.keys(field ?? {}).sort()).toEqual(
      [
        'Type',
        'DisplayName',
        'ElementType',
        'ElementFormat',
        'Dirty',
        'isHidden',
        'isDeleted',
        'isCalculated',
        'isPerApp',
        'isPromoted',
        'neverIndex',
        'sample',
      ].sort(),
    );
    const types = Object.values(schema).flatMap((group) => Object.values(group).map((f) => f.Type));
    for (const type of types)
      expect(['string', 'time', 'boolean', 'integer', 'float', '']).toContain(type);
  });
});

describe('record shapes', () => {
  it('guide has envelope, steps and audience', async () => {
    const guides = await getJson(sim, '/api/v1/guide?expand=*');
    const guide = guides[0] as Record<string, unknown>;
    expect(guide.kind).toBe('Guide');
    expect(String(guide.id)).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(guide.rootVersionId).toBe(guide.id);
    expect(String(guide.stableVersionId)).toMatch(/^.{27}-\d{14}\.\d{9}$/);
    expect(guide.appIds).toEqual([guide.appId]);
    expect(guide.createdByUser).toMatchObject({ userType: 'normal' });
    expect(Array.isArray(guide.audience)).toBe(true);
    for (const g of guides) {
      const steps = g.steps as PendoRecord[];
      expect(steps.length).toBeGreaterThanOrEqual(1);
      expect(steps.length).toBeLessThanOrEqual(6);
      expect(steps[0]).toHaveProperty('pollIds');
      expect(['public', 'draft', 'staged', 'disabled', '_pendingReview_']).toContain(g.state);
      if (g.publishedAt === 0) expect(g.publishedEver).toBe(false);
    }
    expect(guides.some((g) => Array.isArray(g.polls))).toBe(true);
  });

  it('guide stableVersionId encodes lastUpdatedAt', async () => {
    const [guide] = await getJson(sim, '/api/v1/guide');
    const stamp = new Date(Number(guide?.lastUpdatedAt))
      .toISOString()
      .replace(/[-:T]/g, '')
      .slice(0, 14);
    expect(String(guide?.stableVersionId)).toContain(`-${stamp}.`);
  });

  it('page has rules with parsedRule', async () => {
    const [page] = await getJson(sim, '/api/v1/page');
    const rules = page?.rules as PendoRecord[];
    expect(rules.length).toBeGreaterThan(0);
    expect(String(rules[0]?.rule)).toMatch(/^\/\/\*\//);
    expect(
      new RegExp(String(rules[0]?.parsedRule)).test(
        'https://app.example.com' + String(rules[0]?.rule).slice(3),
      ),
    ).toBe(true);
    expect(page?.group).toMatchObject({ type: 'group', items: [] });
  });

  it('feature points at a page and has element rules', async () => {
    const features = await getJson(sim, '/api/v1/feature?expand=*');
    const feature = features.find((f) => f.appWide === false);
    expect(feature?.kind).toBe('Feature');
    expect(String(feature?.pageId)).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect((feature?.elementPathRules as string[]).length).toBeGreaterThan(0);
  });

  it('track type has kind TrackType and rules', async () => {
    const [trackType] = await getJson(sim, '/api/v1/tracktype');
    expect(trackType?.kind).toBe('TrackType');
    expect(trackType?.trackTypeRules).toEqual([trackType?.trackTypeName]);
  });

  it('report has definition and aggregation', async () => {
    const [report] = await getJson(sim, '/api/v1/report');
    expect(report?.kind).toBe('Report');
    expect(report?.definition).toHaveProperty('config');
    expect((report?.aggregation as { pipeline: unknown[] }).pipeline.length).toBeGreaterThan(0);
  });

  it('segment has pipeline and createdByApi', async () => {
    const [segment] = await getJson(sim, '/api/v1/segment');
    expect(segment?.kind).toBe('Segment');
    expect(typeof segment?.createdByApi).toBe('boolean');
    expect(Array.isArray(segment?.pipeline)).toBe(true);
  });
});
