import type { PendoRecord } from '../../src/types';

/** Builds a Pendo user object as records nest it. */
function user(id: string): PendoRecord {
  return { id, username: `user${id}@example.com`, first: 'Test', last: 'User', role: 2 };
}

/** Builds the fields every catalog record has, in the shape Pendo's list endpoints return. */
function envelope(kind: string, id: string, overrides: PendoRecord): PendoRecord {
  return {
    id,
    kind,
    appId: -323232,
    appIds: [-323232],
    name: `${kind} ${id}`,
    createdAt: 1_685_320_590_281,
    createdByUser: user('5415320457969664'),
    lastUpdatedAt: 1_685_322_552_149,
    lastUpdatedByUser: user('4880924937158656'),
    rootVersionId: id,
    stableVersionId: `${id}-20230529010912.171926141`,
    ...overrides,
  };
}

/** Builds a guide with one step, unset (0) reset and publish times and a set expiry. */
export function guideRecord(id: string, overrides: PendoRecord = {}): PendoRecord {
  return envelope('Guide', id, {
    state: '_pendingReview_',
    launchMethod: 'auto',
    isMultiStep: false,
    isTraining: false,
    resetAt: 0,
    publishedAt: 0,
    expiresAfter: 1_761_861_600_000,
    steps: [{ id: `${id}-step`, guideId: id, type: 'building-block', rank: 5_000_000, resetAt: 0 }],
    attributes: { type: 'building-block', device: { type: 'desktop' }, priority: 1006 },
    audience: [{ source: { visitors: null } }, { identified: 'visitorId' }],
    ...overrides,
  });
}

/** Builds about 2.6 KB of guide JSON, near the size of real guides, for tests at scale. */
export function largeGuideRecord(id: string, version = 1): PendoRecord {
  const steps = Array.from({ length: 4 }, (_, index) => ({
    id: `${id}-step-${index}`,
    guideId: id,
    templateId: 'building-block-guide',
    pageId: 'iD07wrNnn2etx2c443K4OV954wA',
    regexUrlRule: '^https?://[^/]*/Cloud/Dashboard/HomePageDashboard\\.aspx/?(?:;[^#]*)?$',
    contentUrl: `https://pendo-static.example.com/guide-content/${id}/${index}.dom.json`,
    rank: 5_000_000 + index,
    attributes: { css: '', isAutoFocus: true, blockOutUI: { enabled: false, padding: { top: 0 } } },
    lastUpdatedAt: 1_758_784_863_100 + version,
  }));
  return guideRecord(id, { steps, lastUpdatedAt: 1_759_216_882_787 + version, version });
}

export function featureRecord(id: string, overrides: PendoRecord = {}): PendoRecord {
  return envelope('Feature', id, {
    group: { id: 'Wgt0R6wAsWPgeUdma0Y6M3APsxs', name: 'Reporting / Insights', items: [] },
    pageId: 'FRjso4qGCLr3K9kkkzq4xOm-eLQ',
    appWide: false,
    isCoreEvent: false,
    dailyMergeFirst: 0,
    elementPathRules: ['#ReportTabSelectedLink'],
    ...overrides,
  });
}

export function pageRecord(id: string, overrides: PendoRecord = {}): PendoRecord {
  return envelope('Page', id, {
    group: { id: 'ZHcbMOL2I-K5WW23KijhW_bqyZ8', name: '3PL', items: [] },
    isCoreEvent: true,
    rules: [
      { rule: '//*/Cloud/x.aspx?a;b', parsedRule: '^https?://[^/]*/Cloud/x\\.aspx$' },
      { rule: '//*/Cloud/y.aspx', designerHint: 'https://example.com/Cloud/y.aspx' },
    ],
    ...overrides,
  });
}

/**
 * Builds a report. Reports are subscription-level, so they have no appId, and an unowned
 * report has an empty owner id.
 */
export function reportRecord(id: string, overrides: PendoRecord = {}): PendoRecord {
  const record = envelope('Report', id, {
    type: 'Path',
    shared: true,
    scope: '',
    level: '',
    ownedByUser: { id: '', username: '', first: '', last: '', role: 0 },
    lastRunAt: 1_760_055_167_706,
    lastSuccessRunAt: 0,
    definition: { type: 'Path', config: { appId: 6_253_630_842_798_080, maxLength: 10 } },
    ...overrides,
  });
  delete record.appId;
  delete record.appIds;
  return record;
}
