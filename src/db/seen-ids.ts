/** Operations of deletion detection, which compares the ids a pass saw with the stored rows. */
export { clearSeenIds } from './clear-seen-ids';
export { countLiveRows, countMissingRows } from './count-rows';
export { markMissingDeleted } from './mark-missing-deleted';
export type { DeletionScope } from './mark-missing-deleted';
export { recordSeenIds } from './record-seen-ids';
export { undeleteSeenIds } from './undelete-seen-ids';
