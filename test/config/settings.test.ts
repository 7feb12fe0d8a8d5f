import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/config/durations';
import {
  assertPendoSource,
  loadSettings,
  parseEntities,
  parseEventsSince,
  parseStreamList,
} from '../../src/config/settings';
import { ConfigError } from '../../src/errors';
import { EVENT_STREAMS } from '../../src/events/streams';

const CWD = '/srv/pendo-sync';

describe('loadSettings', () => {
  it('applies defaults without variables', () => {
    const settings = loadSettings({}, CWD);
    expect(settings.pendoApiKey).toBeUndefined();
    expect(settings.pendoRegion).toBe('us');
    expect(settings.pendoAppIds).toBe('all');
    expect(settings.batchSize).toBe(250);
    expect(settings.pageSize).toBe(5000);
    expect(settings.embeddedPostgresDir).toBe('/srv/pendo-sync/.pendo-sync/postgres');
    expect(settings.embeddedPostgresPort).toBe(54329);
  });

  it('reads app ids', () => {
    expect(loadSettings({ PENDO_APP_IDS: '-323232, 5629499534213120' }, CWD).pendoAppIds).toEqual([
      -323232, 5629499534213120,
    ]);
  });

  it.each([
    [{ PENDO_APP_IDS: ',' }, 'PENDO_APP_IDS'],
    [{ PENDO_APP_IDS: '12,abc' }, 'PENDO_APP_IDS'],
    [{ SYNC_PAGE_SIZE: '0' }, 'SYNC_PAGE_SIZE'],
    [{ SYNC_BATCH_SIZE: 'many' }, 'SYNC_BATCH_SIZE'],
    [{ EMBEDDED_POSTGRES_PORT: '80' }, 'EMBEDDED_POSTGRES_PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SYNC_DETECT_DELETIONS: 'maybe' }, 'SYNC_DETECT_DELETIONS'],
    [{ SYNC_STREAMS: 'page_events,clicks' }, 'SYNC_STREAMS'],
    [{ SYNC_STREAMS: ' , ' }, 'SYNC_STREAMS'],
    [{ SYNC_STREAMS: 'guides' }, 'SYNC_STREAMS'],
    [{ SYNC_EVENTS_SINCE: 'last month' }, 'SYNC_EVENTS_SINCE'],
    [{ SYNC_EVENTS_SINCE: '30' }, 'SYNC_EVENTS_SINCE'],
    [{ SYNC_EVENTS_SINCE: '0d' }, 'SYNC_EVENTS_SINCE'],
    [{ SYNC_EVENTS_SINCE: '2026-02-30' }, 'SYNC_EVENTS_SINCE'],
    [{ SYNC_EVENTS_SINCE: '2026-10-01T06:00:00' }, 'SYNC_EVENTS_SINCE'],
    [{ SYNC_EVENTS_SINCE: '2026-13-45T06:00:00Z' }, 'SYNC_EVENTS_SINCE'],
    [{ SYNC_EVENT_LAG: 'an hour' }, 'SYNC_EVENT_LAG'],
    [{ SYNC_EVENT_LAG: '-1h' }, 'SYNC_EVENT_LAG'],
    [{ SYNC_EVENT_LOOKBACK: '3 days' }, 'SYNC_EVENT_LOOKBACK'],
    [{ PENDO_TIME_ZONE: 'Mars/Olympus_Mons' }, 'PENDO_TIME_ZONE'],
    [{ PENDO_TIME_ZONE: 'EST5EDT, Europe/Paris' }, 'PENDO_TIME_ZONE'],
    [{ SYNC_EVENT_RETENTION_DAYS: '0' }, 'SYNC_EVENT_RETENTION_DAYS'],
    [{ SYNC_EVENT_RETENTION_DAYS: '-7' }, 'SYNC_EVENT_RETENTION_DAYS'],
    [{ SYNC_EVENT_RETENTION_DAYS: '1.5' }, 'SYNC_EVENT_RETENTION_DAYS'],
    [{ SYNC_EVENT_RETENTION_DAYS: '90d' }, 'SYNC_EVENT_RETENTION_DAYS'],
  ])('rejects %o naming the variable', (env, name) => {
    expect(() => loadSettings(env, CWD)).toThrow(ConfigError);
    expect(() => loadSettings(env, CWD)).toThrow(name);
  });
});

describe('boolean settings', () => {
  it.each([
    ['yes', true],
    ['ON', true],
    [' 1 ', true],
    ['true', true],
    ['no', false],
    ['off', false],
    ['0', false],
    ['False', false],
  ])('reads %j as %s', (raw, expected) => {
    expect(loadSettings({ SYNC_ANONYMOUS_VISITORS: raw }, CWD).syncAnonymousVisitors).toBe(
      expected,
    );
  });

  it('lists the accepted words on error', () => {
    const load = () => loadSettings({ SYNC_DETECT_DELETIONS: 'maybe' }, CWD);
    expect(load).toThrow('Invalid SYNC_DETECT_DELETIONS="maybe"');
    expect(load).toThrow('expected true, yes, on, 1 (to turn it on) or false, no, off, 0');
  });
});

describe('event settings', () => {
  it('applies event defaults', () => {
    const settings = loadSettings({}, CWD);
    expect(settings.eventStreams).toEqual([...EVENT_STREAMS]);
    expect(settings.eventsSince).toBeUndefined();
    expect(settings.eventLagMs).toBe(3_600_000);
    expect(settings.eventLookbackMs).toBe(3 * 86_400_000);
    expect(settings.pendoTimeZone).toBeUndefined();
    expect(settings.eventRetentionDays).toBeUndefined();
  });

  it('treats empty event variables as unset', () => {
    const settings = loadSettings(
      {
        SYNC_STREAMS: ' ',
        SYNC_EVENTS_SINCE: '',
        SYNC_EVENT_LAG: '',
        PENDO_TIME_ZONE: '',
        SYNC_EVENT_RETENTION_DAYS: '',
      },
      CWD,
    );
    expect(settings.eventStreams).toEqual([...EVENT_STREAMS]);
    expect(settings.eventsSince).toBeUndefined();
    expect(settings.eventLagMs).toBe(3_600_000);
    expect(settings.pendoTimeZone).toBeUndefined();
    expect(settings.eventRetentionDays).toBeUndefined();
  });

  it('reads every event variable', () => {
    const settings = loadSettings(
      {
        SYNC_STREAMS: 'events, page-events',
        SYNC_EVENTS_SINCE: '14d',
        SYNC_EVENT_LAG: '0',
        SYNC_EVENT_LOOKBACK: '36h',
        PENDO_TIME_ZONE: 'Europe/Paris',
        SYNC_EVENT_RETENTION_DAYS: '400',
      },
      CWD,
    );
    expect(settings.eventStreams).toEqual(['page_events', 'events']);
    expect(settings.eventsSince).toEqual({ kind: 'before-now', ms: 14 * 86_400_000 });
    expect(settings.eventLagMs).toBe(0);
    expect(settings.eventLookbackMs).toBe(36 * 3_600_000);
    expect(settings.pendoTimeZone).toBe('Europe/Paris');
    expect(settings.eventRetentionDays).toBe(400);
  });

  it('spells time zones canonically', () => {
    expect(loadSettings({ PENDO_TIME_ZONE: 'utc' }, CWD).pendoTimeZone).toBe('UTC');
    expect(loadSettings({ PENDO_TIME_ZONE: 'america/new_york' }, CWD).pendoTimeZone).toBe(
      'America/New_York',
    );
  });

  it('accepts SYNC_STREAMS none and all', () => {
    expect(loadSettings({ SYNC_STREAMS: 'none' }, CWD).eventStreams).toEqual([]);
    expect(loadSettings({ SYNC_STREAMS: 'ALL' }, CWD).eventStreams).toEqual([...EVENT_STREAMS]);
  });

  it('names the fix for an unknown stream', () => {
    expect(() => loadSettings({ SYNC_STREAMS: 'clicks' }, CWD)).toThrow('"clicks"');
    expect(() => loadSettings({ SYNC_STREAMS: 'clicks' }, CWD)).toThrow('page_events');
    expect(() => loadSettings({ SYNC_STREAMS: 'guides' }, CWD)).toThrow('--entities');
  });

  it('reads SYNC_EVENTS_SINCE forms', () => {
    expect(loadSettings({ SYNC_EVENTS_SINCE: '2026-10-01' }, CWD).eventsSince).toEqual({
      kind: 'date',
      year: 2026,
      month: 10,
      day: 1,
    });
    expect(loadSettings({ SYNC_EVENTS_SINCE: '2026-10-01T06:00:00Z' }, CWD).eventsSince).toEqual({
      kind: 'instant',
      ms: Date.UTC(2026, 9, 1, 6),
    });
    expect(
      loadSettings({ SYNC_EVENTS_SINCE: '2026-10-01T08:00:00+02:00' }, CWD).eventsSince,
    ).toEqual({ kind: 'instant', ms: Date.UTC(2026, 9, 1, 6) });
    expect(loadSettings({ SYNC_EVENTS_SINCE: '12h' }, CWD).eventsSince).toEqual({
      kind: 'before-now',
      ms: 12 * 3_600_000,
    });
  });

  it('asks for a unit on a bare number', () => {
    expect(() => loadSettings({ SYNC_EVENTS_SINCE: '30' }, CWD)).toThrow('needs a unit');
  });

  it('asks for an offset on a time', () => {
    expect(() => loadSettings({ SYNC_EVENTS_SINCE: '2026-10-01T06:00' }, CWD)).toThrow(
      'needs its offset',
    );
  });
});

describe('parseStreamList', () => {
  it('keeps the run order and drops repeats', () => {
    expect(parseStreamList('poll_events,page_events,poll_events', '--streams')).toEqual([
      'page_events',
      'poll_events',
    ]);
  });

  it('names the flag it came from', () => {
    expect(() => parseStreamList('nosuch', '--streams')).toThrow(
      'Unknown stream "nosuch" in --streams',
    );
  });
});

describe('parseEventsSince', () => {
  it('names a flag without an equals sign', () => {
    expect(() => parseEventsSince('soon', '--since')).toThrow('Invalid --since "soon"');
  });

  it('accepts a leap day', () => {
    expect(parseEventsSince('2028-02-29', '--since')).toEqual({
      kind: 'date',
      year: 2028,
      month: 2,
      day: 29,
    });
  });
});

describe('assertPendoSource', () => {
  it('accepts the simulator without a database URL', () => {
    expect(() => assertPendoSource(loadSettings({}, CWD))).not.toThrow();
  });

  it('rejects a region without a key', () => {
    const settings = loadSettings({ PENDO_REGION: 'eu' }, CWD);
    expect(() => assertPendoSource(settings)).toThrow('PENDO_API_KEY');
  });

  it('rejects a base URL without a key', () => {
    const settings = loadSettings(
      { PENDO_BASE_URL: 'https://app.pendo.io', PENDO_API_KEY: ' ' },
      CWD,
    );
    expect(() => assertPendoSource(settings)).toThrow('PENDO_BASE_URL');
  });

  it('rejects simulator data for a real database', () => {
    const settings = loadSettings({ DATABASE_URL: 'postgres://u:p@db.example/postgres' }, CWD);
    expect(() => assertPendoSource(settings)).toThrow('PENDO_USE_SIMULATOR');
  });

  it('allows simulator data when asked', () => {
    const settings = loadSettings(
      { DATABASE_URL: 'postgres://u:p@db.example/postgres', PENDO_USE_SIMULATOR: 'true' },
      CWD,
    );
    expect(() => assertPendoSource(settings)).not.toThrow();
  });

  it('accepts a key with a region', () => {
    const settings = loadSettings({ PENDO_API_KEY: 'k-123456', PENDO_REGION: 'eu' }, CWD);
    expect(() => assertPendoSource(settings)).not.toThrow();
  });
});

describe('parseEntities', () => {
  it('defaults to every entity', () => {
    expect(parseEntities(undefined)).toEqual([
      'guides',
      'features',
      'pages',
      'track_types',
      'reports',
      'segments',
      'visitors',
      'accounts',
    ]);
  });

  it('accepts dashes and repeats', () => {
    expect(parseEntities('track-types,guides,guides')).toEqual(['track_types', 'guides']);
  });

  it('rejects an unknown entity', () => {
    expect(() => parseEntities('guides,events')).toThrow('"events"');
  });

  it('points a stream name to --streams', () => {
    expect(() => parseEntities('page_events')).toThrow('--streams');
  });
});

describe('parseDuration', () => {
  it.each([
    ['25s', 25_000],
    ['1500ms', 1500],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['0.5s', 500],
    ['3d', 3 * 86_400_000],
  ])('parses %s', (value, ms) => {
    expect(parseDuration(value, '--max-duration')).toBe(ms);
  });

  it.each(['', 'soon', '5 days', '-1s', '0s', '1w'])('rejects %j', (value) => {
    expect(() => parseDuration(value, '--max-duration')).toThrow('--max-duration');
  });

  it.each([
    ['--max-duration', '25'],
    ['SYNC_EVENT_LOOKBACK', '3'],
    ['SYNC_EVENT_LAG', '1.5'],
    ['--every', '900'],
  ])('rejects a bare number for %s', (name, value) => {
    expect(() => parseDuration(value, name, { allowZero: true })).toThrow(
      `Invalid duration "${value}" for ${name}: a number needs a unit, for example ${value}s`,
    );
  });

  it('rejects bare numbers in settings', () => {
    for (const name of ['SYNC_EVENT_LAG', 'SYNC_EVENT_LOOKBACK', 'SYNC_EVERY', 'SYNC_EVERY_JITTER'])
      expect(() => loadSettings({ [name]: '3' }, '/tmp')).toThrow(
        `for ${name}: a number needs a unit`,
      );
  });

  it('accepts zero when allowed', () => {
    expect(parseDuration('0', 'SYNC_EVENT_LAG', { allowZero: true })).toBe(0);
    expect(parseDuration('0h', 'SYNC_EVENT_LAG', { allowZero: true })).toBe(0);
  });

  it('rejects an unsafe size', () => {
    expect(() => parseDuration('1e400d', 'SYNC_EVENT_LAG')).toThrow('SYNC_EVENT_LAG');
    expect(() => parseDuration('99999999999999999d', 'SYNC_EVENT_LAG')).toThrow('too large');
  });

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_300)).toBe('12.3s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(3 * 3_600_000 + 7 * 60_000)).toBe('3h 07m');
    expect(formatDuration(2 * 86_400_000 + 5 * 3_600_000)).toBe('2d 05h');
  });
});
