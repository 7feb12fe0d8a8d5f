export {
  CATALOG_TABLES,
  ENTITY_TABLES,
  PEOPLE_TABLES,
  catalogTable,
  hasAppIdColumn,
  typedColumns,
} from './tables';
export { readRecordPath, recordIdOf, recordTimestampOf } from './record-path';
export { ANONYMOUS_VISITOR_PREFIX } from './people-columns';
export { MAX_ID_BYTES, mapRecord, requireRecordId } from './map-record';
export { serializeRaw } from './raw-json';
export type { CatalogRow } from './map-record';
export type { ColumnSpec, ColumnType, ColumnValue } from './columns';
export { msToDate } from './values';
