import { chaosSeeds, SHORT_SEEDS } from './seeds';
import { describeChaos } from './suite';

// The short form: one scenario per kind of process fault. `npm run test:chaos` runs many more.
describeChaos('chaos scenarios', chaosSeeds(SHORT_SEEDS));
