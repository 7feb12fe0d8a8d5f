import type { Settings } from '../../config/settings';
import { migrate } from '../../db/migrate';
import { createLogger } from '../../log';
import { openDatabase } from '../database';

/** `pendo-sync migrate`: applies the SQL migrations that the database does not have yet. */
export async function migrateCommand(settings: Settings): Promise<number> {
  const logger = createLogger({ level: settings.logLevel });
  const database = await openDatabase(settings, logger, 2);
  try {
    const applied = await migrate(database.pool, { logger });
    console.log(`Database: ${database.description}`);
    console.log(applied.length === 0 ? 'Schema is up to date.' : `Applied ${applied.join(', ')}.`);
    return 0;
  } finally {
    await database.close();
  }
}
