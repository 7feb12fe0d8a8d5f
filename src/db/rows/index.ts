export { CATALOG_TABLES, catalogTable, typedColumns } from './tables';
export { mapRecord, requireRecordId, serializeRaw } from './map-record';
export type { CatalogRow } from './map-record';
export type { ColumnSpec, ColumnType, ColumnValue } from './columns';
export { msToDate } from './values';
