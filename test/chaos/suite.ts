import { afterAll, beforeAll, describe, it } from 'vitest';
import { startChaosServer } from './chaos-server';
import type { ChaosServer } from './chaos-server';
import { checkScenario, summarizeReport } from './checks';
import { runScenario } from './run-scenario';
import { describeScenario, generateScenario } from './scenario';

/** Maximum time of one scenario: four CLI runs, a database restart and their retries. */
const SCENARIO_TIMEOUT_MS = 300_000;

/**
 * Declares one test per seed, all on one dedicated PostgreSQL server with a new database
 * per scenario. The test name contains the seed and what the scenario does.
 */
export function describeChaos(name: string, seeds: readonly number[]): void {
  describe(name, () => {
    let server: ChaosServer;

    beforeAll(async () => {
      server = await startChaosServer();
    }, 120_000);

    afterAll(async () => {
      await server?.close();
    });

    for (const seed of seeds) {
      const scenario = generateScenario(seed);
      it(
        describeScenario(scenario),
        async () => {
          const report = await runScenario(server, scenario);
          console.log(summarizeReport(report));
          checkScenario(report);
        },
        SCENARIO_TIMEOUT_MS,
      );
    }
  });
}
