/**
 * Seeds of the short form inside `npm test`. The kind of process fault cycles with the seed,
 * so seeds 0 to 3 cover a kill, a database restart, terminated sessions and a statement
 * timeout.
 */
export const SHORT_SEEDS: readonly number[] = [0, 1, 2, 3];

/**
 * Seed of the short form's scenario with page_events: an incremental run whose database
 * restarts after two of the stream's windows have committed.
 */
export const SHORT_STREAM_SEEDS: readonly number[] = [11];

/** Number of scenarios of the long form unless CHAOS_SCENARIOS sets it. */
const DEFAULT_LONG_SCENARIOS = 30;

/** First seed of the long form unless CHAOS_FIRST_SEED sets it. */
const DEFAULT_FIRST_SEED = 100;

function parseCount(raw: string, name: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(
      `Invalid ${name}=${JSON.stringify(raw)}: expected a whole number of 0 or more.`,
    );
  }
  return value;
}

/**
 * Returns the seeds to run: CHAOS_SEED (one seed, or several separated by commas) replays
 * exactly those scenarios; otherwise `fallback`.
 */
export function chaosSeeds(fallback: readonly number[]): number[] {
  const raw = process.env.CHAOS_SEED?.trim();
  if (!raw) return [...fallback];
  return raw.split(',').map((part) => parseCount(part.trim(), 'CHAOS_SEED'));
}

/** Seeds of the long form: CHAOS_SCENARIOS consecutive seeds from CHAOS_FIRST_SEED on. */
export function longSeeds(): number[] {
  const count = parseCount(
    process.env.CHAOS_SCENARIOS ?? String(DEFAULT_LONG_SCENARIOS),
    'CHAOS_SCENARIOS',
  );
  const first = parseCount(
    process.env.CHAOS_FIRST_SEED ?? String(DEFAULT_FIRST_SEED),
    'CHAOS_FIRST_SEED',
  );
  return chaosSeeds(Array.from({ length: count }, (_, index) => first + index));
}
