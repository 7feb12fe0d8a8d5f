/** Inputs of the visitor and account generators besides the person's slot and version. */
export interface PeopleContext {
  seed: string;
  /** App ids of the subscription; index 0 is the default app. */
  apps: readonly number[];
  /** Epoch milliseconds of the simulated clock's start; initial records are older. */
  startTime: number;
  /** Initial number of accounts; visitors belong to accounts below this slot. */
  initialAccounts: number;
}

/** The light-index fields a generator reads. */
export interface PersonRef {
  slot: number;
  id: string;
  version: number;
  /** `metadata.auto.lastupdated`, or undefined when the record has none. */
  lastUpdated: number | undefined;
}

/** Returns the key of an app's per-app metadata group: `auto__323232` for app -323232. */
export function perAppGroup(appId: number): string {
  return `auto__${Math.abs(appId)}`;
}
