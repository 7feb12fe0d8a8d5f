import type { CatalogEntity } from '../../types';
import { ENVELOPE_COLUMNS } from './columns';
import type { ColumnSpec } from './columns';
import { ENTITY_COLUMNS } from './entity-columns';

/** The catalog table of each entity. These names are the only table names put into SQL text. */
export const CATALOG_TABLES: Readonly<Record<CatalogEntity, string>> = {
  guides: 'pendo_guides',
  features: 'pendo_features',
  pages: 'pendo_pages',
  track_types: 'pendo_track_types',
  reports: 'pendo_reports',
  segments: 'pendo_segments',
};

/**
 * Returns the columns mapped from a record of `entity`, in COPY order, without `id` and `raw`
 * (see `mapRecord`). The same list names the staging table's columns and the merge's columns,
 * so both always agree.
 */
export function typedColumns(entity: CatalogEntity): readonly ColumnSpec[] {
  return [...ENVELOPE_COLUMNS, ...ENTITY_COLUMNS[entity]];
}

/** Returns the catalog table of `entity`, rejecting any other string at run time too. */
export function catalogTable(entity: CatalogEntity): string {
  const table = (CATALOG_TABLES as Record<string, string | undefined>)[entity];
  if (table === undefined) throw new TypeError(`Unknown catalog entity: ${JSON.stringify(entity)}`);
  return table;
}
