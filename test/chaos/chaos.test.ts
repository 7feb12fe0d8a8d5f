import { chaosSeeds, SHORT_SEEDS, SHORT_STREAM_SEEDS } from './seeds';
import { describeChaos } from './suite';

// The short form: one scenario per kind of process fault, entities only. `npm run test:chaos`
// runs many more, with event streams.
describeChaos('chaos scenarios', {
  seeds: chaosSeeds(SHORT_SEEDS),
  streams: undefined,
  replayCommand: 'npx vitest run test/chaos/chaos.test.ts',
});

// One scenario with page_events whose fault strikes while the stream's windows are read.
describeChaos('chaos scenario with an event stream', {
  seeds: chaosSeeds(SHORT_STREAM_SEEDS),
  streams: 'page_events',
  replayCommand: 'npx vitest run test/chaos/chaos.test.ts',
});
