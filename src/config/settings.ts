import path from 'node:path';
import { ConfigError } from '../errors';
import { LOG_LEVELS, registerSecret } from '../log';
import type { LogLevel } from '../log';
import { ENTITIES } from '../types';
import type { Entity } from '../types';
import type { EventStream } from '../events/streams';
import { isEventStream } from '../events/streams';
import { parseDuration } from './durations';
import { parseEventsSince, parseStreamList, parseTimeZone } from './event-settings';
import type { EventsSince } from './event-settings';

/** Settings read once at start-up from the environment and command-line flags. */
export interface Settings {
  /** Pendo integration key; undefined means "use the built-in simulator". */
  pendoApiKey: string | undefined;
  /** Allows syncing the built-in simulator into DATABASE_URL (PENDO_USE_SIMULATOR). */
  useSimulator: boolean;
  /** Whether PENDO_REGION was set, so a region without a key can be reported. */
  pendoRegionSet: boolean;
  pendoRegion: string;
  pendoBaseUrl: string | undefined;
  /** App ids to sync, or 'all' for every app of the subscription. */
  pendoAppIds: number[] | 'all';
  /** PostgreSQL URL; undefined means "start the embedded PostgreSQL". */
  databaseUrl: string | undefined;
  embeddedPostgresDir: string;
  embeddedPostgresPort: number;
  /** Folder for local state: the embedded database and the built-in simulator's state. */
  stateDir: string;
  maxConcurrentRequests: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  /** Records asked for in one aggregation request. */
  pageSize: number;
  /** Records written in one transaction, together with the cursor. */
  batchSize: number;
  /** Whether incremental runs look for deleted records with an id-only pass. */
  detectDeletions: boolean;
  /** Whether visitors whose id starts with `_PENDO_T_` (anonymous) are synced too. */
  syncAnonymousVisitors: boolean;
  logLevel: LogLevel;
  simulatorSeed: number;
  /** Event streams a run syncs when `--streams` and `--entities` are not given (SYNC_STREAMS). */
  eventStreams: EventStream[];
  /** Start of the event backfill; undefined means 30 days before Pendo's current time. */
  eventsSince: EventsSince | undefined;
  /** How far behind Pendo's current time a window counts as closed, in milliseconds. */
  eventLagMs: number;
  /** Time after a window closes during which later runs read it again, in milliseconds. */
  eventLookbackMs: number;
  /**
   * IANA time zone of the subscription (PENDO_TIME_ZONE); undefined means UTC for a real
   * subscription and the built-in simulator's own zone for the simulator.
   */
  pendoTimeZone: string | undefined;
  /** Days of events kept; undefined keeps every event. */
  eventRetentionDays: number | undefined;
  /** Time between the starts of scheduled runs (SYNC_EVERY); undefined runs `sync` once. */
  syncEveryMs: number | undefined;
  /** Maximum random delay added to each scheduled start (SYNC_EVERY_JITTER), 0 by default. */
  syncEveryJitterMs: number;
}

export type Environment = Record<string, string | undefined>;

function readInteger(
  env: Environment,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  // Digits only: Number() would also take 1e3, 0x10 or 1_000.
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `Invalid ${name}=${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}, in digits.`,
    );
  }
  return value;
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

function readBoolean(env: Environment, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (TRUE_WORDS.includes(raw)) return true;
  if (FALSE_WORDS.includes(raw)) return false;
  throw new ConfigError(
    `Invalid ${name}=${JSON.stringify(env[name])}: expected ${TRUE_WORDS.join(', ')} ` +
      `(to turn it on) or ${FALSE_WORDS.join(', ')} (to turn it off).`,
  );
}

function readAppIds(env: Environment): number[] | 'all' {
  const raw = env.PENDO_APP_IDS?.trim();
  if (!raw || raw === '*' || raw.toLowerCase() === 'all') return 'all';
  const parts = raw.split(',').filter((part) => part.trim() !== '');
  if (parts.length === 0) {
    throw new ConfigError(
      `Invalid PENDO_APP_IDS=${JSON.stringify(raw)}: it names no app. Use app ids separated by commas, or "all".`,
    );
  }
  return parts.map((part) => {
    const value = Number(part.trim());
    if (!Number.isSafeInteger(value)) {
      throw new ConfigError(
        `Invalid PENDO_APP_IDS entry ${JSON.stringify(part.trim())}: expected app ids as whole numbers separated by commas, such as -323232,5629499534213120, or "all".`,
      );
    }
    return value;
  });
}

function readLogLevel(value: string | undefined, name: string): LogLevel {
  const level = (value ?? 'info').trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(
      `Invalid ${name} ${JSON.stringify(value)}: expected one of ${LOG_LEVELS.join(', ')}.`,
    );
  }
  return level as LogLevel;
}

/** Reads an optional setting with `parse`, which names the variable in its errors. */
function readOptional<T>(
  env: Environment,
  name: string,
  parse: (value: string, name: string) => T,
): T | undefined {
  const raw = emptyToUndefined(env[name]);
  return raw === undefined ? undefined : parse(raw, name);
}

function readEventDuration(env: Environment, name: string, fallback: string): number {
  return parseDuration(emptyToUndefined(env[name]) ?? fallback, name, { allowZero: true });
}

function readRetentionDays(env: Environment): number | undefined {
  if (emptyToUndefined(env.SYNC_EVENT_RETENTION_DAYS) === undefined) return undefined;
  return readInteger(env, 'SYNC_EVENT_RETENTION_DAYS', 0, 1, 36_500);
}

function emptyToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Reads and validates every setting from the environment; each error names its variable. */
export function loadSettings(env: Environment = process.env, cwd = process.cwd()): Settings {
  const stateDir = path.resolve(cwd, emptyToUndefined(env.PENDO_SYNC_STATE_DIR) ?? '.pendo-sync');
  const settings: Settings = {
    pendoApiKey: emptyToUndefined(env.PENDO_API_KEY),
    useSimulator: readBoolean(env, 'PENDO_USE_SIMULATOR', false),
    pendoRegionSet: emptyToUndefined(env.PENDO_REGION) !== undefined,
    pendoRegion: emptyToUndefined(env.PENDO_REGION)?.toLowerCase() ?? 'us',
    pendoBaseUrl: emptyToUndefined(env.PENDO_BASE_URL),
    pendoAppIds: readAppIds(env),
    databaseUrl: emptyToUndefined(env.DATABASE_URL),
    embeddedPostgresDir: path.resolve(
      cwd,
      emptyToUndefined(env.EMBEDDED_POSTGRES_DIR) ?? path.join(stateDir, 'postgres'),
    ),
    embeddedPostgresPort: readInteger(env, 'EMBEDDED_POSTGRES_PORT', 54329, 1024, 65535),
    stateDir,
    maxConcurrentRequests: readInteger(env, 'PENDO_MAX_CONCURRENT_REQUESTS', 4, 1, 64),
    requestTimeoutMs: readInteger(env, 'PENDO_REQUEST_TIMEOUT_MS', 60_000, 100, 3_600_000),
    maxAttempts: readInteger(env, 'PENDO_MAX_ATTEMPTS', 6, 1, 20),
    pageSize: readInteger(env, 'SYNC_PAGE_SIZE', 5000, 1, 1_000_000),
    // Measured with `npm run bench -- --quick`: batches of 1000 guides peaked at 273 MB RSS,
    // batches of 250 at 205 MB, at the same speed.
    batchSize: readInteger(env, 'SYNC_BATCH_SIZE', 250, 1, 100_000),
    detectDeletions: readBoolean(env, 'SYNC_DETECT_DELETIONS', true),
    syncAnonymousVisitors: readBoolean(env, 'SYNC_ANONYMOUS_VISITORS', false),
    logLevel: readLogLevel(env.LOG_LEVEL, 'LOG_LEVEL'),
    simulatorSeed: readInteger(env, 'SIMULATOR_SEED', 1, 0, 2 ** 31 - 1),
    eventStreams: parseStreamList(emptyToUndefined(env.SYNC_STREAMS) ?? 'all', 'SYNC_STREAMS'),
    eventsSince: readOptional(env, 'SYNC_EVENTS_SINCE', parseEventsSince),
    eventLagMs: readEventDuration(env, 'SYNC_EVENT_LAG', '1h'),
    eventLookbackMs: readEventDuration(env, 'SYNC_EVENT_LOOKBACK', '3d'),
    pendoTimeZone: readOptional(env, 'PENDO_TIME_ZONE', parseTimeZone),
    eventRetentionDays: readRetentionDays(env),
    // SYNC_EVERY=0 means one run, like leaving it unset.
    syncEveryMs: readEventDuration(env, 'SYNC_EVERY', '0') || undefined,
    syncEveryJitterMs: readEventDuration(env, 'SYNC_EVERY_JITTER', '0'),
  };
  // The pool registers the database password when it parses DATABASE_URL.
  registerSecret(settings.pendoApiKey);
  return settings;
}

/**
 * Rejects settings that would sync the built-in simulator where the user meant Pendo: Pendo
 * settings without a key (often a missing CI secret), or a real database without a key,
 * which would fill it with generated data.
 */
export function assertPendoSource(settings: Settings): void {
  if (settings.pendoApiKey) return;
  if (settings.pendoBaseUrl || settings.pendoRegionSet) {
    throw new ConfigError(
      'PENDO_REGION or PENDO_BASE_URL is set but PENDO_API_KEY is missing or empty. Set PENDO_API_KEY to sync that subscription, or unset both to use the built-in simulator.',
    );
  }
  if (settings.databaseUrl && !settings.useSimulator) {
    throw new ConfigError(
      "DATABASE_URL is set but PENDO_API_KEY is missing or empty, so pendo-sync would write the built-in simulator's generated data into that database. Set PENDO_API_KEY to sync a real subscription, or PENDO_USE_SIMULATOR=true to sync the simulator into it on purpose.",
    );
  }
}

function parseEntityNames<E extends Entity>(value: string, allowed: readonly E[]): E[] {
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase().replace(/-/g, '_'))
    .filter(Boolean);
  for (const name of names) {
    if (!(allowed as readonly string[]).includes(name)) {
      const hint = isEventStream(name)
        ? ` ${name} is an event stream, which --streams selects.`
        : '';
      throw new ConfigError(
        `Unknown entity ${JSON.stringify(name)} in --entities: expected a comma-separated list of ${allowed.join(', ')}.${hint}`,
      );
    }
  }
  return [...new Set(names)] as E[];
}

/** Parses `--entities guides,visitors` for `sync` and `verify`; without it, every entity. */
export function parseEntities(value: string | undefined): Entity[] {
  if (!value) return [...ENTITIES];
  return parseEntityNames(value, ENTITIES);
}

export { parseDuration, readLogLevel };
export { DEFAULT_PENDO_TIME_ZONE, parseEventsSince, parseStreamList } from './event-settings';
export type { EventsSince } from './event-settings';
