import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../config/settings';
import type { Logger } from '../log';
import { registerSecret } from '../log';
import { createPendoClient } from '../pendo/client';
import type { PendoClient } from '../pendo/client';
import { createLimiter } from '../pendo/limiter';
import { resolveBaseUrl } from '../pendo/regions';
import { DEFAULT_START_TIME, startSimulator } from '../simulator';
import type { MutationSummary } from '../simulator';
import { ensureDirectory } from './state-dir';

/** Source of records: a real Pendo subscription or the built-in simulator. */
export interface PendoSource {
  description: string;
  /** A line about what changed in the built-in simulator since the last run, if anything. */
  changes: string | undefined;
  /** The built-in simulator's IANA time zone; undefined for a real subscription. */
  timeZone: string | undefined;
  createClient(onRequest: () => void): PendoClient;
  close(): Promise<void>;
}

/**
 * Days of events the built-in simulator holds before its clock's start, so that the first
 * `npm start` backfills the default 30 days of every event stream.
 */
const DEMO_EVENT_DAYS = 30;

/**
 * Event rows per day across the simulator's six event sources and its apps: about 61,500 rows
 * for 30 days. The first `npm start` with it (embedded database created, every entity and
 * stream synced) took 21 s and 27 s in two runs on a 2-core Linux machine that other jobs kept
 * at a load average of 10.
 */
const DEMO_EVENTS_PER_DAY = 2000;

/** How much the built-in simulator changes between two runs, per entity. */
export const DEMO_ROUND = {
  creates: { guides: 3, features: 5, pages: 2, track_types: 1, reports: 1, segments: 1 },
  updates: { guides: 6, features: 8, pages: 4, track_types: 2, reports: 2, segments: 1 },
  deletes: { guides: 2, features: 3, pages: 1, track_types: 1, reports: 1, segments: 1 },
} as const;

interface DemoState {
  seed: number;
  rounds: number;
}

async function readDemoState(file: string, seed: number): Promise<DemoState | undefined> {
  try {
    const state = JSON.parse(await readFile(file, 'utf8')) as Partial<DemoState>;
    if (state.seed === seed && Number.isInteger(state.rounds)) return state as DemoState;
  } catch {
    // A missing or unreadable state file means the simulator starts fresh.
  }
  return undefined;
}

/**
 * Starts the built-in simulator and replays the changes of earlier runs. With `advance` it
 * applies one more round, so each `npm start` finds something new to sync incrementally.
 */
async function openSimulator(
  settings: Settings,
  logger: Logger,
  advance: boolean,
): Promise<{
  apiKey: string;
  url: string;
  description: string;
  changes: string | undefined;
  timeZone: string;
  close(): Promise<void>;
}> {
  await ensureDirectory(settings.stateDir, 'PENDO_SYNC_STATE_DIR');
  const stateFile = path.join(settings.stateDir, 'simulator.json');
  const previous = await readDemoState(stateFile, settings.simulatorSeed);
  const startTime = DEFAULT_START_TIME;
  const simulator = await startSimulator({
    seed: settings.simulatorSeed,
    port: 0,
    logger,
    startTime,
    eventsStart: startTime - DEMO_EVENT_DAYS * 86_400_000,
    eventsPerDay: DEMO_EVENTS_PER_DAY,
    // PENDO_TIME_ZONE, when set, becomes the simulated subscription's zone, so the two agree.
    timeZone: settings.pendoTimeZone,
  });
  const replayed = previous?.rounds ?? 0;
  const rounds = previous && advance ? replayed + 1 : replayed;
  let changes: string | undefined;
  for (let round = 1; round <= rounds; round++) {
    const summary = simulator.mutate(DEMO_ROUND);
    if (round === rounds && round > replayed) changes = describeChanges(summary);
  }
  await writeFile(stateFile, JSON.stringify({ seed: settings.simulatorSeed, rounds }) + '\n');
  registerSecret(simulator.apiKey);
  return {
    apiKey: simulator.apiKey,
    url: simulator.url,
    description: `built-in Pendo simulator at ${simulator.url}, seed ${settings.simulatorSeed}, time zone ${simulator.timeZone} (no PENDO_API_KEY set)`,
    changes,
    timeZone: simulator.timeZone,
    close: () => simulator.close(),
  };
}

function describeChanges(summary: MutationSummary): string {
  let created = 0;
  let updated = 0;
  let deleted = 0;
  for (const change of Object.values(summary.changes)) {
    created += change.created.length;
    updated += change.updated.length;
    deleted += change.deleted.length;
  }
  return `the simulator changed since the last run: ${created} records created, ${updated} updated, ${deleted} deleted`;
}

/** Opens the real Pendo API when PENDO_API_KEY is set, otherwise the built-in simulator. */
export async function openPendoSource(
  settings: Settings,
  logger: Logger,
  options: { advanceSimulator: boolean },
): Promise<PendoSource> {
  const limiter = createLimiter(settings.maxConcurrentRequests);
  const clientOptions = {
    timeoutMs: settings.requestTimeoutMs,
    bodyIdleTimeoutMs: settings.requestTimeoutMs,
    maxAttempts: settings.maxAttempts,
    limiter,
    logger,
  };
  if (settings.pendoApiKey) {
    const apiKey = settings.pendoApiKey;
    const baseUrl = resolveBaseUrl({
      region: settings.pendoRegion,
      baseUrl: settings.pendoBaseUrl,
    });
    return {
      description: `Pendo API at ${baseUrl}`,
      changes: undefined,
      timeZone: undefined,
      createClient: (onRequest) =>
        createPendoClient({ ...clientOptions, apiKey, baseUrl, onRequest }),
      close: () => Promise.resolve(),
    };
  }
  const simulator = await openSimulator(settings, logger, options.advanceSimulator);
  return {
    ...simulator,
    createClient: (onRequest) =>
      createPendoClient({
        ...clientOptions,
        apiKey: simulator.apiKey,
        baseUrl: simulator.url,
        onRequest,
      }),
  };
}
