import { afterAll, beforeAll, describe, it } from 'vitest';
import { EVENT_STREAMS } from '../../src/events/streams';
import type { EventStream } from '../../src/events/streams';
import { startChaosServer } from './chaos-server';
import type { ChaosServer } from './chaos-server';
import { checkScenario, summarizeReport } from './checks';
import { runScenario } from './run-scenario';
import { describeScenario, generateScenario } from './scenario';

/** Maximum time of one scenario: four CLI runs, a database restart and their retries. */
const SCENARIO_TIMEOUT_MS = 300_000;

/** Options of one form of the chaos suite. */
export interface ChaosForm {
  seeds: readonly number[];
  /** `--streams` list of every sync and verify (CHAOS_STREAMS overrides it); none when undefined. */
  streams: string | undefined;
  /** Command that runs this form, printed after CHAOS_SEED in failure messages. */
  replayCommand: string;
}

/** Returns the streams of a `--streams` list: `all`, `none` or names separated by commas. */
function streamsOf(list: string | undefined): EventStream[] {
  if (!list || list === 'none') return [];
  if (list === 'all') return [...EVENT_STREAMS];
  const names = list.split(',').map((name) => name.trim());
  return EVENT_STREAMS.filter((stream) => names.includes(stream));
}

/**
 * Declares one test per seed, all on one dedicated PostgreSQL server with a new database
 * per scenario. The test name contains the seed and what the scenario does.
 */
export function describeChaos(name: string, form: ChaosForm): void {
  const streamList = process.env.CHAOS_STREAMS?.trim() || form.streams;
  describe(name, () => {
    let server: ChaosServer;

    beforeAll(async () => {
      server = await startChaosServer();
    }, 120_000);

    afterAll(async () => {
      await server?.close();
    });

    for (const seed of form.seeds) {
      const scenario = generateScenario(seed, streamsOf(streamList));
      it(
        describeScenario(scenario),
        async () => {
          const report = await runScenario(server, scenario, streamList);
          console.log(summarizeReport(report));
          checkScenario(report, form.replayCommand);
        },
        SCENARIO_TIMEOUT_MS,
      );
    }
  });
}
