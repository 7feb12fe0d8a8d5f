import { assertPendoSource } from '../../config/settings';
import type { Settings } from '../../config/settings';
import { migrate } from '../../db/migrate';
import { createLogger } from '../../log';
import { hasDrift } from '../../verify/compare-ids';
import type { EntityDrift } from '../../verify/compare-ids';
import { verifyEntity } from '../../verify/verify-catalog';
import { hasEventDrift, verifyEventStream } from '../../verify/verify-events';
import type { EventStreamDrift } from '../../verify/verify-events';
import { openDatabase } from '../database';
import { selectSyncTargets, selectTimeZone } from '../event-options';
import { openPendoSource } from '../pendo-source';
import { formatTable } from '../table';
import { printStreamDrift } from './verify-streams';

/** Exit code when verification finds drift, apart from 1 for a failed verification. */
export const EXIT_DRIFT = 4;

function printDrift(drifts: EntityDrift[]): void {
  console.log(
    formatTable(
      ['entity', 'pendo', 'database', 'missing', 'extra', 'outdated', 'result'],
      drifts.map((drift) => [
        drift.entity,
        drift.pendoCount,
        drift.databaseCount,
        drift.missing,
        drift.extra,
        drift.outdated,
        hasDrift(drift) ? 'DRIFT' : 'ok',
      ]),
    ),
  );
  for (const drift of drifts.filter(hasDrift)) {
    if (drift.sampleMissing.length > 0) {
      console.log(
        `${drift.entity}: missing from the database, e.g. ${drift.sampleMissing.join(', ')}`,
      );
    }
    if (drift.sampleExtra.length > 0) {
      console.log(
        `${drift.entity}: no longer in Pendo but live in the database, e.g. ${drift.sampleExtra.join(', ')}`,
      );
    }
    for (const app of drift.perApp.filter((entry) => entry.pendo !== entry.database)) {
      console.log(
        `${drift.entity}: app ${app.appId ?? '(none)'} has ${app.pendo} in Pendo, ${app.database} in the database`,
      );
    }
  }
}

/**
 * `pendo-sync verify`: compares every entity's live rows with what Pendo lists now (ids per
 * app and update times), and each event stream's totals per day and app with Pendo's, and
 * exits with EXIT_DRIFT when they differ. `--entities` and `--streams` select as for `sync`.
 */
export async function verifyCommand(
  settings: Settings,
  flags: { entities?: string; streams?: string },
): Promise<number> {
  const { entities, streams } = selectSyncTargets(flags, settings);
  assertPendoSource(settings);
  const logger = createLogger({ level: settings.logLevel === 'info' ? 'warn' : settings.logLevel });
  const database = await openDatabase(settings, logger, 2);
  try {
    const source = await openPendoSource(settings, logger, { advanceSimulator: false });
    try {
      await migrate(database.pool, { logger });
      console.log(`Pendo: ${source.description}`);
      console.log(`Database: ${database.description}`);
      const pendo = source.createClient(() => undefined);
      const drifts: EntityDrift[] = [];
      for (const entity of entities) {
        drifts.push(
          await verifyEntity(database.pool, pendo, entity, settings.pendoAppIds, {
            anonymousVisitors: settings.syncAnonymousVisitors,
          }),
        );
      }
      if (drifts.length > 0) printDrift(drifts);
      const timeZone = selectTimeZone(settings, source.timeZone);
      const streamDrifts: EventStreamDrift[] = [];
      for (const stream of streams) {
        streamDrifts.push(
          await verifyEventStream(database.pool, pendo, stream, {
            appIds: settings.pendoAppIds,
            timeZone,
          }),
        );
      }
      if (drifts.length > 0 && streamDrifts.length > 0) console.log('');
      if (streamDrifts.length > 0) printStreamDrift(streamDrifts);
      const drifted = drifts.filter(hasDrift).length + streamDrifts.filter(hasEventDrift).length;
      const checked = drifts.length + streamDrifts.length;
      console.log(
        drifted === 0
          ? 'No drift: the database matches Pendo.'
          : `Drift in ${drifted} of ${checked} entities and streams.`,
      );
      return drifted === 0 ? 0 : EXIT_DRIFT;
    } finally {
      await source.close();
    }
  } finally {
    await database.close();
  }
}
