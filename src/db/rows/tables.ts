import { isCatalogEntity } from '../../types';
import type { CatalogEntity, Entity, PeopleEntity } from '../../types';
import { ENVELOPE_COLUMNS } from './columns';
import type { ColumnSpec } from './columns';
import { ENTITY_COLUMNS } from './entity-columns';
import { PEOPLE_COLUMNS } from './people-columns';

/** The table of each catalog entity. */
export const CATALOG_TABLES: Readonly<Record<CatalogEntity, string>> = {
  guides: 'pendo_guides',
  features: 'pendo_features',
  pages: 'pendo_pages',
  track_types: 'pendo_track_types',
  reports: 'pendo_reports',
  segments: 'pendo_segments',
};

/** The table of each people entity. Unlike the catalog tables, they have no app_id column. */
export const PEOPLE_TABLES: Readonly<Record<PeopleEntity, string>> = {
  visitors: 'pendo_visitors',
  accounts: 'pendo_accounts',
};

/** The table of every entity. These names are the only table names put into SQL text. */
export const ENTITY_TABLES: Readonly<Record<Entity, string>> = {
  ...CATALOG_TABLES,
  ...PEOPLE_TABLES,
};

/**
 * Returns the columns mapped from a record of `entity`, in COPY order, without `id` and `raw`
 * (see `mapRecord`). The same list names the staging table's columns and the merge's columns,
 * so both always agree.
 */
export function typedColumns(entity: Entity): readonly ColumnSpec[] {
  if (!isCatalogEntity(entity)) return PEOPLE_COLUMNS[entity];
  return [...ENVELOPE_COLUMNS, ...ENTITY_COLUMNS[entity]];
}

/** Returns true when the entity's table has an `app_id` column (the catalog tables). */
export function hasAppIdColumn(entity: Entity): boolean {
  return isCatalogEntity(entity);
}

/** Returns the table of `entity`, rejecting any other string at run time too. */
export function catalogTable(entity: Entity): string {
  const table = (ENTITY_TABLES as Record<string, string | undefined>)[entity];
  if (table === undefined) throw new TypeError(`Unknown entity: ${JSON.stringify(entity)}`);
  return table;
}
