import type { Queryable } from '../queryable';

/** One feature's usage over a date range, from pendo_feature_daily. */
export interface FeatureUsage {
  featureId: string;
  /** Name in pendo_features; null when the feature is not stored. */
  name: string | null;
  /** Sum of numEvents over the range. */
  clicks: number;
  /** Dates with at least one click. */
  activeDays: number;
  /**
   * Highest unique visitors of one app on one day in the range. Daily counts cannot be added
   * up, because a visitor active on two days counts on each.
   */
  maxDailyVisitors: number;
}

/** Options of `readTopFeatures`. */
export interface TopFeaturesQuery {
  /** First and last local date, inclusive, as `YYYY-MM-DD`. */
  firstDay: string;
  lastDay: string;
  /** Apps to include; every app when omitted. */
  appIds?: number[];
  /** Features to return, 1-1,000; 10 by default. */
  limit?: number;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Throws when the query's dates or limit are invalid. */
function checkQuery(query: TopFeaturesQuery): number {
  for (const day of [query.firstDay, query.lastDay]) {
    if (!DATE_PATTERN.test(day)) {
      throw new RangeError(`Invalid date "${day}" for top features: expected YYYY-MM-DD`);
    }
  }
  const limit = query.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new RangeError(`Invalid limit ${limit} for top features: expected 1 to 1000`);
  }
  return limit;
}

/**
 * Reads the features with the most clicks over the local dates [firstDay, lastDay], summed
 * over the requested apps, most clicked first (ties by feature id).
 */
export async function readTopFeatures(
  db: Queryable,
  query: TopFeaturesQuery,
): Promise<FeatureUsage[]> {
  const limit = checkQuery(query);
  const result = await db.query<{
    feature_id: string;
    name: string | null;
    clicks: string;
    active_days: string;
    max_daily_visitors: string;
  }>(
    `select usage.feature_id, feature.name, usage.clicks, usage.active_days,
            usage.max_daily_visitors
     from (
       select feature_id,
              sum(clicks) as clicks,
              count(distinct day) as active_days,
              max(visitors) as max_daily_visitors
       from pendo_feature_daily
       where day between $1::date and $2::date
         and ($3::bigint[] is null or app_id = any($3::bigint[]))
       group by feature_id
       order by clicks desc, feature_id
       limit $4
     ) as usage
     left join pendo_features as feature on feature.id = usage.feature_id
     order by usage.clicks desc, usage.feature_id`,
    [query.firstDay, query.lastDay, query.appIds ?? null, limit],
  );
  return result.rows.map((row) => ({
    featureId: row.feature_id,
    name: row.name,
    clicks: Number(row.clicks),
    activeDays: Number(row.active_days),
    maxDailyVisitors: Number(row.max_daily_visitors),
  }));
}
