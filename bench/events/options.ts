import { parseArgs } from 'node:util';

/**
 * The simulator's `eventsPerDay` in a default run. Its rows per day across the six sources
 * average about that value, fewer on weekends: a backfill of DEFAULT_DAYS at 85,000 stored
 * 2,614,968 rows over 31 local days. So 175,000 gives about 5.4 million rows.
 */
export const DEFAULT_EVENTS_PER_DAY = 175_000;
/** Days of events in a default run, the sync's default backfill. */
export const DEFAULT_DAYS = 30;
/** The simulator's `eventsPerDay` with `--quick`, for trying the benchmark out in a few minutes. */
export const QUICK_EVENTS_PER_DAY = 5_000;

export const USAGE = `Usage: npm run bench:events -- [options]

Backfills every event stream from a simulator process into PostgreSQL with the real
\`pendo-sync sync --streams all\` command and prints wall time, event rows per second, peak
RSS of the sync process and the database size as Markdown.

Options:
  --events-per-day <n>  the simulator's eventsPerDay, about its event rows per day across
                        all streams and apps on average (default ${DEFAULT_EVENTS_PER_DAY})
  --days <n>            days of events to backfill (default ${DEFAULT_DAYS})
  --visitors <n>        visitors in the simulator (default 5000)
  --quick               ${QUICK_EVENTS_PER_DAY} event rows per day, unless --events-per-day is given
  --verify              run \`pendo-sync verify --streams all\` after the sync and time it
  --seed <n>            seed of the simulator's data (default 1)
  --keep                keep the work folder with the processes' logs (removed by default)
  --help                print this help

Environment:
  BENCH_DATABASE_URL  an empty PostgreSQL database to use instead of an embedded server`;

export interface EventBenchOptions {
  eventsPerDay: number;
  days: number;
  visitors: number;
  verify: boolean;
  seed: number;
  keep: boolean;
  databaseUrl: string | undefined;
  help: boolean;
}

function readCount(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < min) {
    throw new Error(`Invalid ${name} ${JSON.stringify(value)}: expected a whole number >= ${min}.`);
  }
  return count;
}

/** Parses the command line and BENCH_DATABASE_URL. */
export function parseEventBenchOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): EventBenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'events-per-day': { type: 'string' },
      days: { type: 'string' },
      visitors: { type: 'string' },
      quick: { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      seed: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const eventsPerDay =
    readCount(values['events-per-day'], '--events-per-day', 1) ??
    (values.quick ? QUICK_EVENTS_PER_DAY : DEFAULT_EVENTS_PER_DAY);
  return {
    eventsPerDay,
    days: readCount(values.days, '--days', 1) ?? DEFAULT_DAYS,
    visitors: readCount(values.visitors, '--visitors', 1) ?? 5000,
    verify: values.verify,
    seed: readCount(values.seed, '--seed', 0) ?? 1,
    keep: values.keep,
    databaseUrl: env.BENCH_DATABASE_URL?.trim() || undefined,
    help: values.help,
  };
}
