import type { CatalogEntity } from '../../types';
import type { ColumnSpec } from './columns';
import {
  arrayLengthOrNull,
  booleanOrNull,
  msToDate,
  nestedField,
  stringOrNull,
  userIdOrNull,
} from './values';

const GUIDE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'state', type: 'text', read: (r) => stringOrNull(r.state) },
  { name: 'launch_method', type: 'text', read: (r) => stringOrNull(r.launchMethod) },
  { name: 'is_multi_step', type: 'boolean', read: (r) => booleanOrNull(r.isMultiStep) },
  { name: 'is_training', type: 'boolean', read: (r) => booleanOrNull(r.isTraining) },
  { name: 'step_count', type: 'integer', read: (r) => arrayLengthOrNull(r.steps) },
  { name: 'poll_count', type: 'integer', read: (r) => arrayLengthOrNull(r.polls) },
  { name: 'published_at', type: 'timestamptz', read: (r) => msToDate(r.publishedAt) },
  { name: 'reset_at', type: 'timestamptz', read: (r) => msToDate(r.resetAt) },
  { name: 'expires_at', type: 'timestamptz', read: (r) => msToDate(r.expiresAfter) },
];

const GROUP_COLUMNS: readonly ColumnSpec[] = [
  { name: 'group_id', type: 'text', read: (r) => stringOrNull(nestedField(r, 'group', 'id')) },
  { name: 'group_name', type: 'text', read: (r) => stringOrNull(nestedField(r, 'group', 'name')) },
];

const FEATURE_COLUMNS: readonly ColumnSpec[] = [
  ...GROUP_COLUMNS,
  { name: 'page_id', type: 'text', read: (r) => stringOrNull(r.pageId) },
  { name: 'app_wide', type: 'boolean', read: (r) => booleanOrNull(r.appWide) },
  { name: 'is_core_event', type: 'boolean', read: (r) => booleanOrNull(r.isCoreEvent) },
];

const PAGE_COLUMNS: readonly ColumnSpec[] = [
  ...GROUP_COLUMNS,
  { name: 'is_core_event', type: 'boolean', read: (r) => booleanOrNull(r.isCoreEvent) },
  { name: 'rule_count', type: 'integer', read: (r) => arrayLengthOrNull(r.rules) },
];

const TRACK_TYPE_COLUMNS: readonly ColumnSpec[] = [
  ...GROUP_COLUMNS,
  { name: 'track_type_name', type: 'text', read: (r) => stringOrNull(r.trackTypeName) },
  { name: 'is_core_event', type: 'boolean', read: (r) => booleanOrNull(r.isCoreEvent) },
];

const REPORT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'report_type', type: 'text', read: (r) => stringOrNull(r.type) },
  { name: 'shared', type: 'boolean', read: (r) => booleanOrNull(r.shared) },
  { name: 'scope', type: 'text', read: (r) => stringOrNull(r.scope) },
  { name: 'level', type: 'text', read: (r) => stringOrNull(r.level) },
  { name: 'owned_by_user_id', type: 'text', read: (r) => userIdOrNull(r, 'ownedByUser') },
  { name: 'last_run_at', type: 'timestamptz', read: (r) => msToDate(r.lastRunAt) },
  { name: 'last_success_run_at', type: 'timestamptz', read: (r) => msToDate(r.lastSuccessRunAt) },
];

const SEGMENT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'created_by_api', type: 'boolean', read: (r) => booleanOrNull(r.createdByApi) },
  { name: 'is_focus_group', type: 'boolean', read: (r) => booleanOrNull(r.isFocusGroup) },
];

/** Typed columns that only one entity's table has. */
export const ENTITY_COLUMNS: Readonly<Record<CatalogEntity, readonly ColumnSpec[]>> = {
  guides: GUIDE_COLUMNS,
  features: FEATURE_COLUMNS,
  pages: PAGE_COLUMNS,
  track_types: TRACK_TYPE_COLUMNS,
  reports: REPORT_COLUMNS,
  segments: SEGMENT_COLUMNS,
};
