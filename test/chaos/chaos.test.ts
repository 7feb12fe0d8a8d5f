import { chaosSeeds, SHORT_SEEDS } from './seeds';
import { describeChaos } from './suite';

// The short form: one scenario per kind of process fault, entities only. `npm run test:chaos`
// runs many more, with event streams.
describeChaos('chaos scenarios', {
  seeds: chaosSeeds(SHORT_SEEDS),
  streams: undefined,
  replayCommand: 'npx vitest run test/chaos/chaos.test.ts',
});
