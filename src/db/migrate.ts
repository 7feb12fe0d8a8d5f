import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { LOCK_CLASS, MIGRATION_LOCK_ID } from './advisory-locks';
import { watchClient } from './watch-client';

/** The repository's `supabase/migrations` folder. */
export const MIGRATIONS_DIRECTORY = fileURLToPath(
  new URL('../../supabase/migrations/', import.meta.url),
);

export interface MigrateOptions {
  directory?: string;
  logger?: Logger;
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Reads the `.sql` files of `directory`, sorted by name (the timestamp prefix). */
async function readMigrationFiles(directory: string): Promise<MigrationFile[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const sql = await readFile(path.join(directory, name), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    files.push({ name, sql, checksum });
  }
  return files;
}

/**
 * Creates the table that records applied migrations, when missing. Row level security keeps
 * it out of Supabase's REST API, like the other tables.
 */
async function createMigrationsTable(client: pg.PoolClient): Promise<void> {
  const existing = await client.query<{ table: string | null }>(
    "select to_regclass('pendo_sync_migrations')::text as table",
  );
  if (existing.rows[0]?.table) return;
  await client.query(`
    create table pendo_sync_migrations (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    );
    alter table pendo_sync_migrations enable row level security;
    comment on table pendo_sync_migrations is
      'Migration files of supabase/migrations that pendo-sync has applied, with their sha256.';
  `);
}

/** Applies one migration and records it, in one transaction. */
async function applyMigration(client: pg.PoolClient, file: MigrationFile): Promise<void> {
  await client.query('begin');
  try {
    await client.query(file.sql);
    await client.query('insert into pendo_sync_migrations (name, checksum) values ($1, $2)', [
      file.name,
      file.checksum,
    ]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw new Error(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Applies the migrations of `supabase/migrations` that this database has not recorded in
 * `pendo_sync_migrations`, in file-name order, each in its own transaction. An advisory lock
 * makes a second process wait until the first has finished. Returns the names applied.
 */
export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<string[]> {
  const logger = options.logger ?? silentLogger;
  const files = await readMigrationFiles(options.directory ?? MIGRATIONS_DIRECTORY);
  const client = await pool.connect();
  const watched = watchClient(client);
  try {
    await client.query('select pg_advisory_lock($1, $2)', [LOCK_CLASS, MIGRATION_LOCK_ID]);
    await createMigrationsTable(client);
    const applied = await client.query<{ name: string; checksum: string }>(
      'select name, checksum from pendo_sync_migrations',
    );
    const known = new Map(applied.rows.map((row) => [row.name, row.checksum]));
    const appliedNow: string[] = [];
    for (const file of files) {
      const checksum = known.get(file.name);
      if (checksum === undefined) {
        await applyMigration(client, file);
        appliedNow.push(file.name);
        logger.info({ migration: file.name }, 'applied database migration');
      } else if (checksum !== file.checksum) {
        logger.warn(
          { migration: file.name },
          'an applied migration file has changed since it was applied; the change is not applied',
        );
      }
    }
    return appliedNow;
  } catch (error) {
    throw watched.explain(error);
  } finally {
    // When the unlock fails the connection is broken, and closing it releases the lock too.
    const unlocked = await client
      .query('select pg_advisory_unlock($1, $2)', [LOCK_CLASS, MIGRATION_LOCK_ID])
      .then(() => true)
      .catch(() => false);
    watched.release(!unlocked);
  }
}
