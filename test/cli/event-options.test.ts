import { describe, expect, it } from 'vitest';
import {
  buildEventOptions,
  resolveEventsSince,
  selectEventsSince,
  selectSyncTargets,
  selectTimeZone,
} from '../../src/cli/event-options';
import { loadSettings } from '../../src/config/settings';
import { ENTITIES } from '../../src/types';
import { EVENT_STREAMS } from '../../src/events/streams';

const CWD = '/srv/pendo-sync';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe('selectSyncTargets', () => {
  const settings = loadSettings({ SYNC_STREAMS: 'events,guide_events' }, CWD);

  it('syncs everything without flags', () => {
    const targets = selectSyncTargets({}, settings);
    expect(targets.entities).toEqual([...ENTITIES]);
    expect(targets.streams).toEqual(['events', 'guide_events']);
  });

  it('syncs no stream with only --entities', () => {
    const targets = selectSyncTargets({ entities: 'guides' }, settings);
    expect(targets.entities).toEqual(['guides']);
    expect(targets.streams).toEqual([]);
  });

  it('syncs no entity with only --streams', () => {
    const targets = selectSyncTargets({ streams: 'page_events' }, settings);
    expect(targets.entities).toEqual([]);
    expect(targets.streams).toEqual(['page_events']);
  });

  it('takes both flags together', () => {
    const targets = selectSyncTargets({ entities: 'pages', streams: 'all' }, settings);
    expect(targets.entities).toEqual(['pages']);
    expect(targets.streams).toEqual([...EVENT_STREAMS]);
  });

  it('lets --streams override SYNC_STREAMS', () => {
    const targets = selectSyncTargets({ streams: 'none', entities: 'guides' }, settings);
    expect(targets.streams).toEqual([]);
  });

  it('reads --entities none', () => {
    const targets = selectSyncTargets({ entities: 'none', streams: 'events' }, settings);
    expect(targets.entities).toEqual([]);
    expect(targets.streams).toEqual(['events']);
  });

  it('reads --entities all', () => {
    expect(selectSyncTargets({ entities: 'all' }, settings).entities).toEqual([...ENTITIES]);
  });

  it('rejects an empty --entities', () => {
    expect(() => selectSyncTargets({ entities: '' }, settings)).toThrow('Invalid --entities ""');
    expect(() => selectSyncTargets({ entities: ' ' }, settings)).toThrow('"all" or "none"');
  });

  it('rejects an unknown stream in --streams', () => {
    expect(() => selectSyncTargets({ streams: 'pages' }, settings)).toThrow(
      'Unknown stream "pages" in --streams',
    );
  });
});

describe('selectEventsSince', () => {
  const settings = loadSettings({ SYNC_EVENTS_SINCE: '7d' }, CWD);

  it('falls back to SYNC_EVENTS_SINCE', () => {
    expect(selectEventsSince(undefined, settings, ['events'])).toEqual({
      kind: 'before-now',
      ms: 7 * DAY_MS,
    });
  });

  it('lets --since override the setting', () => {
    expect(selectEventsSince('2026-10-01', settings, ['events'])).toEqual({
      kind: 'date',
      year: 2026,
      month: 10,
      day: 1,
    });
  });

  it('rejects --since without streams', () => {
    expect(() => selectEventsSince('30d', settings, [])).toThrow('--since');
    expect(() => selectEventsSince('30d', settings, [])).toThrow('syncs no stream');
  });

  it('names --since in a parse error', () => {
    expect(() => selectEventsSince('yesterday', settings, ['events'])).toThrow(
      'Invalid --since "yesterday"',
    );
  });
});

describe('resolveEventsSince', () => {
  it('starts a date at local midnight', () => {
    const date = { kind: 'date', year: 2026, month: 10, day: 1 } as const;
    expect(resolveEventsSince(date, 'America/New_York')).toEqual({
      since: Date.UTC(2026, 9, 1, 4),
    });
    expect(resolveEventsSince(date, 'UTC')).toEqual({ since: Date.UTC(2026, 9, 1) });
    expect(resolveEventsSince(date, 'Asia/Tokyo')).toEqual({ since: Date.UTC(2026, 8, 30, 15) });
  });

  it('starts a date on a DST day at midnight', () => {
    // Europe/Paris moves from +02:00 to +01:00 at 03:00 local on 2026-10-25.
    const date = { kind: 'date', year: 2026, month: 10, day: 25 } as const;
    expect(resolveEventsSince(date, 'Europe/Paris')).toEqual({
      since: Date.UTC(2026, 9, 24, 22),
    });
  });

  it('keeps an instant', () => {
    const instant = { kind: 'instant', ms: Date.UTC(2026, 9, 1, 6) } as const;
    expect(resolveEventsSince(instant, 'Europe/Paris')).toEqual({ since: Date.UTC(2026, 9, 1, 6) });
  });

  it('leaves a duration to the engine', () => {
    const since = { kind: 'before-now', ms: 30 * DAY_MS } as const;
    expect(resolveEventsSince(since, 'UTC')).toEqual({ sinceBeforeNowMs: 30 * DAY_MS });
  });

  it('sets nothing without a start', () => {
    expect(resolveEventsSince(undefined, 'UTC')).toEqual({});
  });
});

describe('buildEventOptions', () => {
  it('passes every event setting', () => {
    const settings = loadSettings(
      {
        SYNC_EVENT_LAG: '2h',
        SYNC_EVENT_LOOKBACK: '1d',
        SYNC_EVENT_RETENTION_DAYS: '90',
        PENDO_TIME_ZONE: 'Europe/Paris',
      },
      CWD,
    );
    const options = buildEventOptions({
      settings,
      streams: ['page_events'],
      since: { kind: 'date', year: 2026, month: 10, day: 1 },
      sourceTimeZone: 'America/New_York',
    });
    expect(options).toEqual({
      streams: ['page_events'],
      since: Date.UTC(2026, 8, 30, 22),
      lagMs: 2 * HOUR_MS,
      lookbackMs: DAY_MS,
      timeZone: 'Europe/Paris',
      retentionDays: 90,
    });
  });

  it("leaves since to the engine's default", () => {
    const options = buildEventOptions({
      settings: loadSettings({}, CWD),
      streams: ['events'],
      since: undefined,
      sourceTimeZone: undefined,
    });
    expect(options.since).toBeUndefined();
    expect(options.sinceBeforeNowMs).toBeUndefined();
    expect(options.timeZone).toBe('UTC');
  });

  it("takes the simulator's time zone", () => {
    const options = buildEventOptions({
      settings: loadSettings({}, CWD),
      streams: ['events'],
      since: { kind: 'date', year: 2026, month: 10, day: 1 },
      sourceTimeZone: 'America/New_York',
    });
    expect(options.timeZone).toBe('America/New_York');
    expect(options.since).toBe(Date.UTC(2026, 9, 1, 4));
  });
});

describe('selectTimeZone', () => {
  it('prefers PENDO_TIME_ZONE', () => {
    expect(selectTimeZone({ pendoTimeZone: 'Asia/Tokyo' }, 'America/New_York')).toBe('Asia/Tokyo');
  });

  it("uses the simulator's zone", () => {
    expect(selectTimeZone({ pendoTimeZone: undefined }, 'America/New_York')).toBe(
      'America/New_York',
    );
  });

  it('defaults to UTC', () => {
    expect(selectTimeZone({ pendoTimeZone: undefined }, undefined)).toBe('UTC');
  });
});
