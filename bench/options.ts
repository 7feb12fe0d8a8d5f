import { parseArgs } from 'node:util';

/** Guides in a default run: the size the product promises to sync under 300 MB peak RSS. */
export const DEFAULT_GUIDES = 400_000;
/** Guides with `--quick`, for trying the benchmark out in a few minutes. */
export const QUICK_GUIDES = 20_000;

export const USAGE = `Usage: npm run bench -- [options]

Syncs guides from a simulator process into PostgreSQL with the real CLI, four times (full,
incremental after a mutation, incremental with no change, full with no change), and prints
wall time, records per second and peak RSS of each process as a Markdown table.

Options:
  --guides <n>      guides in the simulator (env BENCH_GUIDES; default ${DEFAULT_GUIDES})
  --quick           ${QUICK_GUIDES} guides, unless --guides or BENCH_GUIDES is set
  --seed <n>        seed of the simulator's data (env BENCH_SEED; default 1)
  --node-arg <arg>  extra Node.js option for the sync processes, repeatable (e.g. --heap-prof)
  --sample-memory   preload bench/memory-sampler.ts into the sync processes (through
                    --import tsx) and report their heap, external and buffer memory
  --keep            keep the work folder with the processes' logs (removed by default)
  --help            print this help

Environment:
  BENCH_DATABASE_URL  an empty PostgreSQL database to use instead of an embedded server`;

export interface BenchOptions {
  guides: number;
  seed: number;
  nodeArgs: string[];
  sampleMemory: boolean;
  keep: boolean;
  databaseUrl: string | undefined;
  help: boolean;
}

function readCount(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < min) {
    throw new Error(`Invalid ${name} ${JSON.stringify(value)}: expected a whole number ≥ ${min}.`);
  }
  return count;
}

/** Parses the command line and BENCH_* variables; flags win over variables. */
export function parseBenchOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      guides: { type: 'string' },
      quick: { type: 'boolean', default: false },
      seed: { type: 'string' },
      'node-arg': { type: 'string', multiple: true, default: [] },
      'sample-memory': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const guides =
    readCount(values.guides, '--guides', 1) ??
    readCount(env.BENCH_GUIDES, 'BENCH_GUIDES', 1) ??
    (values.quick ? QUICK_GUIDES : DEFAULT_GUIDES);
  const seed = readCount(values.seed, '--seed', 0) ?? readCount(env.BENCH_SEED, 'BENCH_SEED', 0);
  return {
    guides,
    seed: seed ?? 1,
    nodeArgs: values['node-arg'],
    sampleMemory: values['sample-memory'],
    keep: values.keep,
    databaseUrl: env.BENCH_DATABASE_URL?.trim() || undefined,
    help: values.help,
  };
}
