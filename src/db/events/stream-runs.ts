import type { Queryable } from '../queryable';
import type { EventStream } from '../../events/streams';

/** Mode of a stream's run-log row: `backfill` while windows never read remain. */
export type StreamMode = 'backfill' | 'incremental';

/**
 * Inserts a `running` row in `sync_status` for one stream of a run and returns its id. The
 * row is finished with `finishRunEntity`, like an entity's.
 */
export async function startStreamRun(
  db: Queryable,
  run: { runId: string; stream: EventStream; mode: StreamMode },
): Promise<number> {
  const result = await db.query<{ id: string }>(
    `insert into sync_status (run_id, entity, mode, status)
     values ($1, $2, $3, 'running') returning id`,
    [run.runId, run.stream, run.mode],
  );
  return Number(result.rows[0]?.id);
}
