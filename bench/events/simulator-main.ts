/**
 * Runs the simulator for the event benchmark in its own process: the default catalog and
 * events over the `--days` days before the simulated clock's start, at the simulator's
 * `eventsPerDay` of `--events-per-day`. Prints `listening on <url>` once it accepts
 * requests, then runs until it receives SIGTERM or SIGINT.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_START_TIME, startSimulator } from '../../src/simulator';

const DAY_MS = 86_400_000;

function readPositive(value: string | undefined, name: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new Error(`Invalid ${name} ${JSON.stringify(value)}: expected a whole number >= 1.`);
  }
  return number;
}

const { values } = parseArgs({
  strict: true,
  options: {
    'events-per-day': { type: 'string' },
    days: { type: 'string' },
    visitors: { type: 'string' },
    seed: { type: 'string', default: '1' },
    key: { type: 'string' },
  },
});
if (!values.key) throw new Error('--key is required.');
const days = readPositive(values.days, '--days');
const simulator = await startSimulator({
  host: '127.0.0.1',
  port: 0,
  seed: values.seed,
  apiKeys: [values.key],
  sizes: { visitors: readPositive(values.visitors, '--visitors') },
  eventsPerDay: readPositive(values['events-per-day'], '--events-per-day'),
  eventsStart: DEFAULT_START_TIME - days * DAY_MS,
});
console.log(`event benchmark simulator listening on ${simulator.url}`);

const stop = () => {
  void simulator.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
