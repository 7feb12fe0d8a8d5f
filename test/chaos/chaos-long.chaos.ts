import { longSeeds } from './seeds';
import { describeChaos } from './suite';

// The long form, run by `npm run test:chaos`: CHAOS_SCENARIOS seeds (30 by default), each
// syncing every entity and every event stream unless CHAOS_STREAMS=none.
describeChaos('chaos scenarios, long form', {
  seeds: longSeeds(),
  streams: 'all',
  replayCommand: 'npm run test:chaos',
});
