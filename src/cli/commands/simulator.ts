import { ConfigError } from '../../errors';
import { createLogger } from '../../log';
import { startSimulator } from '../../simulator';
import { watchStopRequests } from '../stop-requests';
import type { StopRequest } from '../stop-requests';

export interface SimulatorFlags {
  host: string;
  port: string;
  seed: string;
  key?: string;
  apps?: string;
  guides?: string;
  features?: string;
  pages?: string;
  trackTypes?: string;
  reports?: string;
  segments?: string;
}

/** Largest seed, the same limit as SIMULATOR_SEED. */
const MAX_SEED = 2 ** 31 - 1;

/** Parses a flag written in digits only, from `min` to `max`; throws ConfigError naming it. */
function readCount(
  value: string | undefined,
  flag: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const count = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < min || count > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new ConfigError(
      `Invalid ${flag} ${JSON.stringify(value)}: expected a whole number ${range}, in digits.`,
    );
  }
  return count;
}

/** `pendo-sync simulator`: serves a generated Pendo subscription until interrupted. */
export async function simulatorCommand(flags: SimulatorFlags): Promise<number> {
  const port = readCount(flags.port, '--port', 0, 65535) ?? 0;
  const seed = readCount(flags.seed, '--seed', 0, MAX_SEED);
  const sizes: Record<string, number | undefined> = {
    guides: readCount(flags.guides, '--guides'),
    features: readCount(flags.features, '--features'),
    pages: readCount(flags.pages, '--pages'),
    track_types: readCount(flags.trackTypes, '--track-types'),
    reports: readCount(flags.reports, '--reports'),
    segments: readCount(flags.segments, '--segments'),
  };
  const logger = createLogger({ level: 'info' });
  let simulator;
  try {
    simulator = await startSimulator({
      host: flags.host,
      port,
      seed: String(seed),
      apiKeys: flags.key ? [flags.key] : undefined,
      apps: readCount(flags.apps, '--apps', 1),
      sizes,
      logger,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new ConfigError(error.message);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(
        `Port ${port} on ${flags.host} is already in use. Pass --port with a free port, or --port 0 to pick one.`,
      );
    }
    throw error;
  }
  console.log(`Pendo simulator listening on ${simulator.url}`);
  console.log(
    `Sync from it with: PENDO_BASE_URL=${simulator.url} PENDO_API_KEY=${simulator.apiKey} npx pendo-sync sync`,
  );
  console.log('Press Ctrl-C to stop.');
  // The first request stops watching, so a second signal ends the process at once.
  const request = await new Promise<StopRequest>((resolve) => {
    const stopWatching = watchStopRequests((first) => {
      stopWatching();
      resolve(first);
    });
  });
  console.log(`Stopping the simulator because ${request.reason}.`);
  await simulator.close();
  return 0;
}
