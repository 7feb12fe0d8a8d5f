import type { RollupSpec } from './rollup-spec';
import { appFilterSql, localDaySql, dayRangeSql } from './rollup-spec';

/** Feature clicks per local day, app and feature. */
export const FEATURE_DAILY: RollupSpec = {
  table: 'pendo_feature_daily',
  stream: 'feature_events',
  insertSql: `
    insert into pendo_feature_daily (day, app_id, feature_id, clicks, visitors, accounts)
    select
      ${localDaySql('event.bucket_start')},
      event.app_id,
      event.feature_id,
      sum(event.num_events),
      count(distinct event.visitor_id),
      count(distinct event.account_id)
    from pendo_feature_events as event
    where ${dayRangeSql('event.bucket_start')} and ${appFilterSql('event.app_id')}
    group by 1, 2, 3`,
};

/** Page views, minutes and frustration counters per local day, app and page. */
export const PAGE_DAILY: RollupSpec = {
  table: 'pendo_page_daily',
  stream: 'page_events',
  insertSql: `
    insert into pendo_page_daily (
      day, app_id, page_id, views, visitors, minutes,
      rage_clicks, dead_clicks, error_clicks, u_turns
    )
    select
      ${localDaySql('event.bucket_start')},
      event.app_id,
      event.page_id,
      sum(event.num_events),
      count(distinct event.visitor_id),
      sum(event.num_minutes),
      coalesce(sum(event.rage_click_count), 0),
      coalesce(sum(event.dead_click_count), 0),
      coalesce(sum(event.error_click_count), 0),
      coalesce(sum(event.u_turn_count), 0)
    from pendo_page_events as event
    where ${dayRangeSql('event.bucket_start')} and ${appFilterSql('event.app_id')}
    group by 1, 2, 3`,
};

/**
 * All activity per local date, local hour and app. Hour rows fall in the local hour their
 * bucket starts in, day rows in the local hour of their firstTime (of their bucket start when
 * firstTime is missing). The date is always the bucket's, so a day row stays on its own day.
 */
export const ACTIVITY_HOURLY: RollupSpec = {
  table: 'pendo_activity_hourly',
  stream: 'events',
  insertSql: `
    insert into pendo_activity_hourly (
      day, hour, app_id, iso_weekday, events, minutes, visitors
    )
    select
      activity.day,
      activity.hour,
      activity.app_id,
      extract(isodow from activity.day)::smallint,
      sum(activity.num_events),
      sum(activity.num_minutes),
      count(distinct activity.visitor_id)
    from (
      select
        ${localDaySql('event.bucket_start')} as day,
        extract(hour from (
          case when event.period = 'day' then coalesce(event.first_time, event.bucket_start)
          else event.bucket_start end
        ) at time zone $1)::smallint as hour,
        event.app_id,
        event.visitor_id,
        event.num_events,
        event.num_minutes
      from pendo_events as event
      where ${dayRangeSql('event.bucket_start')} and ${appFilterSql('event.app_id')}
    ) as activity
    group by activity.day, activity.hour, activity.app_id`,
};
