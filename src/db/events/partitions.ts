import type { Queryable } from '../queryable';

/**
 * Monthly partitions of the event tables, named `<table>_pYYYYMM` and bounded by UTC month
 * starts. Table names come from EVENT_STREAM_SPECS and partition names are built from digits
 * here, so the identifiers spliced into DDL are fixed text.
 */

const PARTITION_SUFFIX = /_p(\d{4})(\d{2})$/;

/** One monthly partition: its name and UTC bounds in epoch ms (end exclusive). */
export interface MonthPartition {
  name: string;
  start: number;
  end: number;
}

function monthPartition(table: string, year: number, monthIndex: number): MonthPartition {
  const start = Date.UTC(year, monthIndex, 1);
  const end = Date.UTC(year, monthIndex + 1, 1);
  const month = String(monthIndex + 1).padStart(2, '0');
  return { name: `${table}_p${year}${month}`, start, end };
}

/** Lists the monthly partitions that [from, to) overlaps, oldest first. */
export function partitionsOverlapping(table: string, from: number, to: number): MonthPartition[] {
  const partitions: MonthPartition[] = [];
  const first = new Date(from);
  let year = first.getUTCFullYear();
  let monthIndex = first.getUTCMonth();
  for (;;) {
    const partition = monthPartition(table, year, monthIndex);
    if (partition.start >= to) return partitions;
    partitions.push(partition);
    monthIndex += 1;
    if (monthIndex === 12) {
      monthIndex = 0;
      year += 1;
    }
  }
}

/**
 * Creates the missing monthly partitions of `table` that [from, to) overlaps. Existing ones
 * are found by name first, so the parent table is locked only when a month is new.
 */
export async function ensurePartitions(
  db: Queryable,
  table: string,
  from: number,
  to: number,
): Promise<string[]> {
  const created: string[] = [];
  for (const partition of partitionsOverlapping(table, from, to)) {
    const found = await db.query<{ oid: string | null }>('select to_regclass($1) as oid', [
      partition.name,
    ]);
    if (found.rows[0]?.oid) continue;
    const start = new Date(partition.start).toISOString();
    const end = new Date(partition.end).toISOString();
    await db.query(
      `create table if not exists ${partition.name} partition of ${table}
       for values from ('${start}') to ('${end}')`,
    );
    created.push(partition.name);
  }
  return created;
}

/** Lists the monthly partitions of `table` that exist, oldest first. */
export async function listPartitions(db: Queryable, table: string): Promise<MonthPartition[]> {
  const result = await db.query<{ name: string }>(
    `select child.relname as name
     from pg_inherits
     join pg_class child on child.oid = pg_inherits.inhrelid
     where pg_inherits.inhparent = to_regclass($1)
     order by child.relname`,
    [table],
  );
  const partitions: MonthPartition[] = [];
  for (const { name } of result.rows) {
    const match = PARTITION_SUFFIX.exec(name);
    if (!match || name !== `${table}${match[0]}`) continue;
    partitions.push(monthPartition(table, Number(match[1]), Number(match[2]) - 1));
  }
  return partitions;
}

/** Drops the monthly partitions of `table` that end at or before `cutoff`; returns their names. */
export async function dropPartitionsBefore(
  db: Queryable,
  table: string,
  cutoff: number,
): Promise<string[]> {
  const dropped: string[] = [];
  for (const partition of await listPartitions(db, table)) {
    if (partition.end > cutoff) continue;
    await db.query(`drop table if exists ${partition.name}`);
    dropped.push(partition.name);
  }
  return dropped;
}
