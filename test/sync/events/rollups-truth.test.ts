import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_STREAMS } from '../../../src/events/streams';
import type { EventSyncOptions } from '../../../src/sync/context';
import type { EventSource, FaultSpec } from '../../../src/simulator/index';
import type { PendoRecord } from '../../../src/types';
import {
  isoWeekday,
  localTimeIn,
  readAllRollups,
  readRollup,
  rollUp,
  sortRows,
} from '../../helpers/rollup-sums';
import type { Json, RollupTable } from '../../helpers/rollup-sums';
import { runTestSync, startHarness } from '../helpers';
import type { SyncHarness } from '../helpers';

const TIME_ZONE = 'America/New_York';
const DAY_MS = 86_400_000;
/** Three weeks of history that span the end of daylight saving time on 2026-11-01. */
const EVENTS_START = '2026-10-22T04:00:00Z';
const START_TIME = '2026-11-12T15:30:00Z';

const localTime = localTimeIn(TIME_ZONE);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const count = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** The truth of one sync: every visible row of each source, and each guide's step ids. */
interface Truth {
  rows: Record<EventSource, PendoRecord[]>;
  guideSteps: Map<string, string[]>;
}

/** Reads the simulator's rows from `from` to its current time, bypassing HTTP. */
async function readTruth(harness: SyncHarness, from: number): Promise<Truth> {
  const { simulator } = harness;
  const to = simulator.clock.now();
  const read = (source: EventSource, period: 'day' | 'hour'): PendoRecord[] => [
    ...simulator.eventRows({ source, period, from, to }),
  ];
  const guideSteps = new Map<string, string[]>();
  for await (const guide of simulator.truth('guides', { allApps: true })) {
    const steps = Array.isArray(guide.steps) ? (guide.steps as { id: string }[]) : [];
    guideSteps.set(
      String(guide.id),
      steps.map((step) => step.id),
    );
  }
  return {
    rows: {
      pageEvents: read('pageEvents', 'day'),
      featureEvents: read('featureEvents', 'day'),
      trackEvents: [],
      events: read('events', 'hour'),
      guideEvents: read('guideEvents', 'day'),
      pollEvents: read('pollEvents', 'day'),
    },
    guideSteps,
  };
}

function guideDaily(truth: Truth): Json[] {
  const groups = rollUp(
    truth.rows.guideEvents,
    (row) => [localTime(count(row.browserTime)).day, row.appId, row.guideId],
    () => ({ views: 0, visitors: new Set<unknown>(), completions: 0, dismissals: 0 }),
    (sums, row) => {
      const lastStep = truth.guideSteps.get(text(row.guideId))?.at(-1);
      if (row.type === 'guideSeen') sums.views++;
      if (row.type === 'guideDismissed') sums.dismissals++;
      if (row.type === 'guideAdvanced' && lastStep !== undefined && row.guideStepId === lastStep) {
        sums.completions++;
      }
      sums.visitors.add(row.visitorId);
    },
  );
  return groups.map(([[day, app_id, guide_id], sums]) => ({
    day,
    app_id,
    guide_id,
    views: sums.views,
    visitors: sums.visitors.size,
    completions: sums.completions,
    dismissals: sums.dismissals,
  }));
}

function guideStepDaily(truth: Truth): Json[] {
  const groups = rollUp(
    truth.rows.guideEvents,
    (row) => [localTime(count(row.browserTime)).day, row.appId, row.guideId, text(row.guideStepId)],
    () => ({ seen: 0, advanced: 0, dismissed: 0, visitors: new Set<unknown>() }),
    (sums, row) => {
      if (row.type === 'guideSeen') sums.seen++;
      if (row.type === 'guideAdvanced') sums.advanced++;
      if (row.type === 'guideDismissed') sums.dismissed++;
      sums.visitors.add(row.visitorId);
    },
  );
  return groups.map(([[day, app_id, guide_id, step_id], sums]) => {
    const position = (truth.guideSteps.get(text(guide_id)) ?? []).indexOf(text(step_id));
    return {
      day,
      app_id,
      guide_id,
      step_id,
      step_number: position < 0 ? null : position + 1,
      seen: sums.seen,
      advanced: sums.advanced,
      dismissed: sums.dismissed,
      visitors: sums.visitors.size,
    };
  });
}

function featureDaily(truth: Truth): Json[] {
  const groups = rollUp(
    truth.rows.featureEvents,
    (row) => [localTime(count(row.day)).day, row.appId, row.featureId],
    () => ({ clicks: 0, visitors: new Set<unknown>(), accounts: new Set<unknown>() }),
    (sums, row) => {
      sums.clicks += count(row.numEvents);
      sums.visitors.add(row.visitorId);
      if (text(row.accountId) !== '') sums.accounts.add(row.accountId);
    },
  );
  return groups.map(([[day, app_id, feature_id], sums]) => ({
    day,
    app_id,
    feature_id,
    clicks: sums.clicks,
    visitors: sums.visitors.size,
    accounts: sums.accounts.size,
  }));
}

function pageDaily(truth: Truth): Json[] {
  const groups = rollUp(
    truth.rows.pageEvents,
    (row) => [localTime(count(row.day)).day, row.appId, row.pageId],
    () => ({
      views: 0,
      minutes: 0,
      rage: 0,
      dead: 0,
      error: 0,
      uTurns: 0,
      visitors: new Set<unknown>(),
    }),
    (sums, row) => {
      sums.views += count(row.numEvents);
      sums.minutes += count(row.numMinutes);
      sums.rage += count(row.rageClickCount);
      sums.dead += count(row.deadClickCount);
      sums.error += count(row.errorClickCount);
      sums.uTurns += count(row.uTurnCount);
      sums.visitors.add(row.visitorId);
    },
  );
  return groups.map(([[day, app_id, page_id], sums]) => ({
    day,
    app_id,
    page_id,
    views: sums.views,
    visitors: sums.visitors.size,
    minutes: sums.minutes,
    rage_clicks: sums.rage,
    dead_clicks: sums.dead,
    error_clicks: sums.error,
    u_turns: sums.uTurns,
  }));
}

function pollDaily(truth: Truth): Json[] {
  const groups = rollUp(
    truth.rows.pollEvents,
    (row) => [localTime(count(row.browserTime)).day, row.appId, row.guideId, row.pollId],
    () => ({ responses: 0, visitors: new Set<unknown>() }),
    (sums, row) => {
      sums.responses++;
      sums.visitors.add(row.visitorId);
    },
  );
  return groups.map(([[day, app_id, guide_id, poll_id], sums]) => ({
    day,
    app_id,
    guide_id,
    poll_id,
    responses: sums.responses,
    visitors: sums.visitors.size,
  }));
}

function activityHourly(truth: Truth): Json[] {
  const groups = rollUp(
    truth.rows.events,
    (row) => {
      const local = localTime(count(row.hour));
      return [local.day, local.hour, row.appId];
    },
    () => ({ events: 0, minutes: 0, visitors: new Set<unknown>() }),
    (sums, row) => {
      sums.events += count(row.numEvents);
      sums.minutes += count(row.numMinutes);
      sums.visitors.add(row.visitorId);
    },
  );
  return groups.map(([[day, hour, app_id], sums]) => ({
    day,
    hour,
    app_id,
    iso_weekday: isoWeekday(text(day)),
    events: sums.events,
    minutes: sums.minutes,
    visitors: sums.visitors.size,
  }));
}

/** The rollup tables, their sort keys and the sums of the truth they must equal. */
const ROLLUP_TABLES: (RollupTable & { expected: (truth: Truth) => Json[] })[] = [
  { table: 'pendo_guide_daily', keys: ['day', 'app_id', 'guide_id'], expected: guideDaily },
  {
    table: 'pendo_guide_step_daily',
    keys: ['day', 'app_id', 'guide_id', 'step_id'],
    expected: guideStepDaily,
  },
  { table: 'pendo_feature_daily', keys: ['day', 'app_id', 'feature_id'], expected: featureDaily },
  { table: 'pendo_page_daily', keys: ['day', 'app_id', 'page_id'], expected: pageDaily },
  {
    table: 'pendo_poll_daily',
    keys: ['day', 'app_id', 'guide_id', 'poll_id'],
    expected: pollDaily,
  },
  { table: 'pendo_activity_hourly', keys: ['day', 'hour', 'app_id'], expected: activityHourly },
];

describe('event rollups against the simulator', () => {
  let harness: SyncHarness;
  let since: number;
  let events: EventSyncOptions;
  /** The rollups right after the backfill. */
  let backfilled: Record<string, Json[]> = {};

  beforeAll(async () => {
    harness = await startHarness({
      startTime: START_TIME,
      eventsStart: EVENTS_START,
      eventsPerDay: 600,
      timeZone: TIME_ZONE,
    });
    since = Date.parse(EVENTS_START);
    events = {
      streams: [...EVENT_STREAMS],
      since,
      lagMs: 0,
      lookbackMs: 2 * DAY_MS,
      timeZone: TIME_ZONE,
    };
  });

  afterAll(async () => {
    await harness.close();
  });

  it('equals the truth after a backfill', async () => {
    // Guides and events sync in parallel, so some guide event windows commit before the
    // guides they count completions of.
    const run = await runTestSync(harness, { entities: ['guides'], events });
    expect(run.summary.status).toBe('completed');
    const truth = await readTruth(harness, since);
    for (const { table, keys, expected } of ROLLUP_TABLES) {
      const sums = sortRows(expected(truth), keys);
      expect(sums.length, table).toBeGreaterThan(0);
      expect(await readRollup(harness.pool, table, keys), table).toEqual(sums);
    }
    const activity = await readRollup(harness.pool, 'pendo_activity_hourly', ['day']);
    const days = new Set(activity.map((row) => row.day));
    expect(days.has('2026-10-22')).toBe(true);
    expect(days.has('2026-11-01')).toBe(true);
    expect(days.has('2026-11-12')).toBe(true);
  });

  it('keeps rollups when a later read fails', async () => {
    backfilled = await readAllRollups(harness.pool, ROLLUP_TABLES);
    harness.simulator.clock.advance(DAY_MS);
    const faults: FaultSpec[] = [
      // The body ends cleanly after 300 bytes, so each window's JSON is cut short.
      { path: 'aggregation', truncateAfterBytes: 300, times: 100_000 },
      { path: 'aggregation', status: 503, times: 100_000 },
    ];
    for (const fault of faults) {
      harness.simulator.injectFault(fault);
      try {
        const run = await runTestSync(harness, { entities: [], events });
        expect(run.summary.status, JSON.stringify(fault)).toBe('failed');
        for (const stream of run.summary.streams) {
          expect(stream.status, stream.stream).toBe('failed');
          expect(stream.windowsPlanned, stream.stream).toBeGreaterThan(0);
          expect(stream.windowsRead, stream.stream).toBe(0);
        }
      } finally {
        harness.simulator.clearFaults();
      }
      const after = await readAllRollups(harness.pool, ROLLUP_TABLES);
      for (const { table } of ROLLUP_TABLES) {
        expect(after[table]?.length, table).toBeGreaterThan(0);
        expect(after[table], table).toEqual(backfilled[table]);
      }
    }
  });

  it('equals the truth after the next run', async () => {
    const run = await runTestSync(harness, { entities: [], events });
    expect(run.summary.status).toBe('completed');
    const truth = await readTruth(harness, since);
    const after = await readAllRollups(harness.pool, ROLLUP_TABLES);
    for (const { table, keys, expected } of ROLLUP_TABLES) {
      expect(after[table], table).toEqual(sortRows(expected(truth), keys));
    }
    // The new day adds rows, so the failed runs above had rollups to change.
    expect(after.pendo_activity_hourly?.length).toBeGreaterThan(
      backfilled.pendo_activity_hourly?.length ?? 0,
    );
  });
});
