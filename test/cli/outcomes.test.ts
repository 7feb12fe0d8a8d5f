import { describe, expect, it } from 'vitest';
import { errorCause, formatOutcomes } from '../../src/cli/outcomes';

const REJECTED = (target: string) =>
  `Pendo rejected the integration key (HTTP 403 Forbidden) for ${target}. Check PENDO_API_KEY.`;

describe('formatOutcomes', () => {
  it('prints one shared rejected key once', () => {
    const lines = formatOutcomes([
      { name: 'guides', error: REJECTED('POST https://app.pendo.io/api/v1/aggregation') },
      { name: 'reports', error: REJECTED('GET https://app.pendo.io/api/v1/report?expand=*') },
      { name: 'page_events', error: REJECTED('POST https://app.pendo.io/api/v1/aggregation') },
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('guides, reports, page_events (3 in all)');
    expect(lines[0]).toContain('Pendo rejected the integration key (HTTP 403 Forbidden).');
  });

  it('keeps different causes apart', () => {
    const lines = formatOutcomes([
      { name: 'guides', error: 'Pendo returned HTTP 500' },
      { name: 'pages', error: 'Pendo returned HTTP 502' },
      { name: 'visitors', stoppedBecause: '--max-duration passed' },
    ]);
    expect(lines).toEqual([
      'guides: Pendo returned HTTP 500',
      'pages: Pendo returned HTTP 502',
      'visitors: stopped early because --max-duration passed; the next run continues from here.',
    ]);
  });

  it('removes the request from a network failure', () => {
    expect(
      errorCause('The request GET http://h/api/v1/report to Pendo failed: fetch failed.'),
    ).toBe('A request to Pendo failed: fetch failed.');
  });
});
