import type { Settings } from '../../config/settings';
import { migrate } from '../../db/migrate';
import { readSyncStatus } from '../../db/status';
import { createLogger } from '../../log';
import { openDatabase } from '../database';
import { ENTITIES } from '../../types';
import { EVENT_STREAMS } from '../../events/streams';
import { formatTable, formatTime } from '../table';
import { formatStreamSections } from './status-streams';

function formatAge(value: Date | null | undefined, now: number): string {
  if (!value) return 'never';
  const minutes = Math.round((now - value.getTime()) / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} days ago`;
}

/**
 * `pendo-sync status`: freshness and row counts per entity, a section per event stream, then
 * the recent runs.
 */
export async function statusCommand(settings: Settings, limit: number): Promise<number> {
  const logger = createLogger({ level: 'warn' });
  const database = await openDatabase(settings, logger, 2);
  try {
    await migrate(database.pool, { logger });
    const now = Date.now();
    const report = await readSyncStatus(database.pool, {
      recentRunLimit: limit,
      entities: ENTITIES,
      streams: EVENT_STREAMS,
      eventLagMs: settings.eventLagMs,
      eventAppIds: settings.pendoAppIds,
    });
    console.log(`Database: ${database.description}\n`);
    console.log(
      formatTable(
        ['entity', 'rows', 'deleted', 'last success', 'last run', 'cursor'],
        report.entities.map((row) => {
          const cursor = row.syncState?.cursor;
          return [
            row.entity,
            row.liveRows,
            row.deletedRows,
            formatAge(row.lastCompletedAt, now),
            row.lastRun?.status ?? '-',
            cursor ? `${new Date(cursor.timestamp).toISOString()} ${cursor.id}`.trim() : '-',
          ];
        }),
      ),
    );
    console.log(`\n${formatStreamSections(report.streams)}`);
    console.log('\nRecent runs:');
    console.log(
      formatTable(
        [
          'started',
          'entity',
          'mode',
          'status',
          'fetched',
          'inserted',
          'updated',
          'deleted',
          'error',
        ],
        report.recentRuns.map((run) => [
          formatTime(run.startedAt),
          run.entity,
          run.mode,
          run.status,
          run.counts.fetched,
          run.counts.inserted,
          run.counts.updated,
          run.counts.deleted,
          (run.error ?? '').slice(0, 80),
        ]),
      ),
    );
    return 0;
  } finally {
    await database.close();
  }
}
