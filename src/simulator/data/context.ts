import type { CatalogEntity } from '../../types';
import { pendoId } from '../random';

/** Inputs of every record generator besides the record's own light row. */
export interface GenerationContext {
  seed: string;
  /** App ids of the subscription; index 0 is the default app, -323232. */
  apps: readonly number[];
  /** Subscription id used in guide content URLs. */
  subscriptionId: string;
  /** Epoch milliseconds of the simulated clock's start. */
  startTime: number;
  /** Record counts at start; references between records (a feature's page) point below these. */
  initialSizes: Readonly<Record<CatalogEntity, number>>;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** `validThrough` of pages and features: the last full hour a day before the clock's start. */
export function validThrough(context: GenerationContext): number {
  const hour = 60 * 60 * 1000;
  return Math.floor((context.startTime - DAY_MS) / hour) * hour;
}

/** Returns the id of the record in `slot` of `entity`; ids depend only on the seed and slot. */
export function recordId(context: GenerationContext, entity: CatalogEntity, slot: number): string {
  return pendoId(context.seed, entity, slot);
}
