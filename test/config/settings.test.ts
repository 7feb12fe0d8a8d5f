import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/config/durations';
import { assertPendoSource, loadSettings, parseEntities } from '../../src/config/settings';
import { ConfigError } from '../../src/errors';

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
  ])('rejects %o naming the variable', (env, name) => {
    expect(() => loadSettings(env, CWD)).toThrow(ConfigError);
    expect(() => loadSettings(env, CWD)).toThrow(name);
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
});

describe('parseDuration', () => {
  it.each([
    ['25s', 25_000],
    ['25', 25_000],
    ['1500ms', 1500],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['0.5s', 500],
  ])('parses %s', (value, ms) => {
    expect(parseDuration(value, '--max-duration')).toBe(ms);
  });

  it.each(['', 'soon', '5 days', '-1s', '0s'])('rejects %j', (value) => {
    expect(() => parseDuration(value, '--max-duration')).toThrow('--max-duration');
  });

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_300)).toBe('12.3s');
    expect(formatDuration(245_000)).toBe('4m 05s');
  });
});
