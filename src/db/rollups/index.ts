export { refreshRollups, recomputeRollup } from './refresh';
export type { RefreshScope } from './refresh';
export { rebuildRollups } from './rebuild';
export { updateGuideCompletions } from './guide-steps';
export { readTopFeatures } from './top-features';
export type { FeatureUsage, TopFeaturesQuery } from './top-features';
export { ROLLUPS, rollupsOf } from './rollup-tables';
export type { RollupSpec } from './rollup-spec';
