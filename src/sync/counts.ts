import type { EntityCounts } from './context';

/** Adds one merge's outcome to an entity's counters. */
export function addMergeCounts(
  counts: EntityCounts,
  merged: { inserted: number; updated: number; unchanged: number; undeleted: number },
): void {
  counts.inserted += merged.inserted;
  counts.updated += merged.updated;
  counts.unchanged += merged.unchanged;
  counts.undeleted += merged.undeleted;
}
