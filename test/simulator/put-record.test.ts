import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index';
import { getText, postAggregation, startSmallSimulator } from './helpers';

const GUIDE_TEXT =
  '{"id":"exact-guide","kind":"Guide","appId":-323232,"lastUpdatedAt":1700000000000,' +
  '"custom":9007199254740993,"decimal":1.50}';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSmallSimulator({ sizes: { visitors: 5, accounts: 2 } });
});

afterAll(async () => {
  await sim.close();
});

describe('putRecord', () => {
  it('adds a guide sent byte for byte', async () => {
    const result = sim.putRecord('guides', GUIDE_TEXT);
    expect(result).toEqual({ id: 'exact-guide', created: true });
    const { text } = await getText(sim, '/api/v1/guide');
    expect(text).toContain(GUIDE_TEXT);
    expect(sim.truthIds('guides')).toContain('exact-guide');
  });

  it('sends the text through an aggregation', async () => {
    const { status, text } = await postAggregation(sim, {
      request: {
        pipeline: [
          { source: { guides: null } },
          { filter: 'id == "exact-guide"' },
          { sort: ['lastUpdatedAt', 'id'] },
        ],
      },
    });
    expect(status).toBe(200);
    expect(text).toContain(`"results":[${GUIDE_TEXT}]`);
  });

  it('replaces the record with the same id', async () => {
    const [first] = sim.truthIds('pages');
    const total = sim.counts().pages.total;
    const replaced = { id: first, kind: 'Page', name: '<b>replaced</b>', lastUpdatedAt: 5 };
    const result = sim.putRecord('page', replaced);
    expect(result).toEqual({ id: first, created: false });
    const { text } = await getText(sim, '/api/v1/page');
    expect(text).toContain(JSON.stringify(replaced));
    expect(sim.counts().pages.total).toBe(total);
  });

  it('puts a visitor with its lastupdated', async () => {
    const visitor = { visitorId: 'v "1"', metadata: { auto: { lastupdated: 42 } } };
    expect(sim.putRecord('visitors', visitor)).toEqual({ id: 'v "1"', created: true });
    const { text } = await postAggregation(sim, {
      request: {
        pipeline: [{ source: { visitors: null } }, { filter: 'metadata.auto.lastupdated == 42' }],
      },
    });
    expect(text).toContain(JSON.stringify(visitor));
  });

  it('rejects a record without id', () => {
    expect(() => sim.putRecord('guides', '{"name":"x"}')).toThrow(
      'Invalid guides record: "id" must be a non-empty string, got undefined',
    );
  });

  it('rejects a non-object record', () => {
    expect(() => sim.putRecord('reports', '[1]')).toThrow('expected a JSON object');
  });
});
