import type { Queryable } from '../queryable';

/** The local days and apps whose rollup rows one refresh replaces. */
export interface RollupScope {
  timeZone: string;
  /** First and last local date, inclusive, as `YYYY-MM-DD`. */
  firstDay: string;
  lastDay: string;
  /** App ids; null for every app. */
  appIds: number[] | null;
}

/** Throws when `appIds` is neither 'all' nor a list of integers. */
function checkAppIds(appIds: number[] | 'all'): number[] | null {
  if (appIds === 'all') return null;
  for (const appId of appIds) {
    if (!Number.isSafeInteger(appId)) {
      throw new RangeError(`Invalid app id ${String(appId)} for the rollups: expected an integer`);
    }
  }
  return appIds;
}

/**
 * Returns the local days of `timeZone` that [from, to) overlaps (epoch ms). PostgreSQL
 * resolves the time zone, so the days agree with the `at time zone` of the rollup statements.
 * Throws when the range is empty or the time zone unknown to the server.
 */
export async function resolveRollupScope(
  db: Queryable,
  range: { from: number; to: number; timeZone: string; appIds: number[] | 'all' },
): Promise<RollupScope> {
  const { from, to, timeZone } = range;
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
    throw new RangeError(
      `Invalid rollup range [${from}, ${to}): expected epoch milliseconds with from < to`,
    );
  }
  const appIds = checkAppIds(range.appIds);
  const result = await db
    .query<{ first_day: string; last_day: string }>(
      `select
         (($1::timestamptz) at time zone $3)::date::text as first_day,
         (($2::timestamptz - interval '1 millisecond') at time zone $3)::date::text as last_day`,
      [new Date(from).toISOString(), new Date(to).toISOString(), timeZone],
    )
    .catch((error: unknown) => {
      // PostgreSQL raises invalid_parameter_value (22023) for a time zone it does not know.
      if ((error as { code?: unknown }).code !== '22023') throw error;
      throw new Error(
        `Invalid time zone "${timeZone}" for the rollups: ${(error as Error).message}. ` +
          'Set it to an IANA name such as America/New_York.',
        { cause: error },
      );
    });
  const row = result.rows[0];
  if (!row) throw new Error('The query of the rollup days returned no row');
  return { timeZone, firstDay: row.first_day, lastDay: row.last_day, appIds };
}
