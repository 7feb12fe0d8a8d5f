import { assertPendoSource } from '../../config/settings';
import type { Settings } from '../../config/settings';
import { acquireSyncLock } from '../../db/lock';
import { migrate } from '../../db/migrate';
import { rebuildRollups } from '../../db/rollups';
import { withTransaction } from '../../db/transaction';
import { createLogger } from '../../log';
import type { Logger } from '../../log';
import { openDatabase } from '../database';
import { selectTimeZone } from '../event-options';
import { openPendoSource } from '../pendo-source';
import { formatTable } from '../table';

/**
 * Returns the time zone a sync of these settings uses: PENDO_TIME_ZONE, or with the built-in
 * simulator its zone. No request reaches a real Pendo subscription.
 */
async function syncTimeZone(settings: Settings, logger: Logger): Promise<string> {
  const source = await openPendoSource(settings, logger, { advanceSimulator: false });
  try {
    return selectTimeZone(settings, source.timeZone);
  } finally {
    await source.close();
  }
}

/**
 * `pendo-sync rebuild-rollups`: computes every rollup table again from the stored events, in
 * the time zone a sync uses, in one transaction under the sync lock, so no sync writes events
 * meanwhile and readers never see a day without its rows. Prints the rows inserted per table.
 */
export async function rebuildRollupsCommand(settings: Settings): Promise<number> {
  assertPendoSource(settings);
  const logger = createLogger({ level: settings.logLevel === 'info' ? 'warn' : settings.logLevel });
  const database = await openDatabase(settings, logger, 3);
  try {
    const timeZone = await syncTimeZone(settings, logger);
    console.log(`Database: ${database.description}`);
    await migrate(database.pool, { logger });
    const lock = await acquireSyncLock(database.pool);
    try {
      const inserted = await withTransaction(
        database.pool,
        async (client) => {
          const rows = await rebuildRollups(client, { timeZone });
          // Without the lock a sync may have written events meanwhile, so roll back instead.
          await lock.check();
          return rows;
        },
        { logger },
      );
      console.log(`Rebuilt the rollups from the stored events, days in ${timeZone}:`);
      console.log(formatTable(['rollup table', 'rows'], Object.entries(inserted)));
      return 0;
    } finally {
      await lock.release();
    }
  } finally {
    await database.close();
  }
}
