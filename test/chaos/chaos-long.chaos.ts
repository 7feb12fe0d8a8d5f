import { longSeeds } from './seeds';
import { describeChaos } from './suite';

// The long form, run by `npm run test:chaos`: CHAOS_SCENARIOS seeds (30 by default).
describeChaos('chaos scenarios, long form', longSeeds());
