/**
 * The part every benchmark entry point shares: option parsing with `--help`, a temporary work
 * folder, and clean-up that runs once on success, failure or SIGINT/SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stopAllChildren } from './child-process';

/** Resources to release on success, failure or a signal; each step runs at most once. */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private started = false;

  constructor(private readonly note: (message: string) => void) {}

  /** Registers a step; steps run in reverse order of registration. */
  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  /** Stops every child process, then runs each step once; a failed step is noted, not thrown. */
  async runAll(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await stopAllChildren();
    for (const step of this.steps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        this.note(`cleanup step "${step.name}" failed: ${(error as Error).message}`);
      }
    }
  }
}

/** Options every benchmark accepts. */
export interface CommonBenchOptions {
  keep: boolean;
  help: boolean;
}

/**
 * Parses `argv`, prints `usage` for `--help` (exit 0) or a parse error (exit 2), runs
 * `benchmark` in a fresh temporary folder named after `tmpPrefix`, and cleans up. Returns the
 * process exit code: 0 on success, 1 when the benchmark failed.
 */
export async function runBenchmarkMain<O extends CommonBenchOptions>(spec: {
  argv: string[];
  parse: (argv: string[]) => O;
  usage: string;
  tmpPrefix: string;
  note: (message: string) => void;
  benchmark: (options: O, workDir: string, cleanup: Cleanup) => Promise<void>;
}): Promise<number> {
  const { note } = spec;
  let options: O;
  try {
    options = spec.parse(spec.argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${spec.usage}`);
    return 2;
  }
  if (options.help) {
    console.log(spec.usage);
    return 0;
  }

  const workDir = await mkdtemp(path.join(os.tmpdir(), spec.tmpPrefix));
  const cleanup = new Cleanup(note);
  cleanup.add('remove the work folder', async () => {
    if (options.keep) note(`logs kept in ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  });
  const onSignal = (signal: NodeJS.Signals) => {
    note(`received ${signal}; stopping the child processes and removing temporary data`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await spec.benchmark(options, workDir, cleanup);
    return 0;
  } catch (error) {
    note(`failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await cleanup.runAll();
  }
}
