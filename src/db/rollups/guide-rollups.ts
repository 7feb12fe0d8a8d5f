import type { RollupSpec } from './rollup-spec';
import { appFilterSql, localDaySql, dayRangeSql } from './rollup-spec';

/**
 * Guide events per local day, app and guide. A completion is a guideAdvanced event on the
 * guide's last step: the last entry of `steps` in the stored guide's `raw`. Guides missing
 * from pendo_guides have no last step, so they count no completions.
 */
export const GUIDE_DAILY: RollupSpec = {
  table: 'pendo_guide_daily',
  stream: 'guide_events',
  insertSql: `
    insert into pendo_guide_daily (day, app_id, guide_id, views, visitors, completions, dismissals)
    select
      ${localDaySql('event.browser_time')},
      event.app_id,
      event.guide_id,
      count(*) filter (where event.type = 'guideSeen'),
      count(distinct event.visitor_id),
      count(*) filter (
        where event.type = 'guideAdvanced'
          and event.guide_step_id = guide.raw -> 'steps' -> -1 ->> 'id'
      ),
      count(*) filter (where event.type = 'guideDismissed')
    from pendo_guide_events as event
    left join pendo_guides as guide on guide.id = event.guide_id
    where ${dayRangeSql('event.browser_time')} and ${appFilterSql('event.app_id')}
    group by 1, 2, 3`,
};

/**
 * Guide events per local day, app, guide and step, with the step's position in the stored
 * guide so that a funnel can order its steps.
 */
export const GUIDE_STEP_DAILY: RollupSpec = {
  table: 'pendo_guide_step_daily',
  stream: 'guide_events',
  insertSql: `
    with step_counts as (
      select
        ${localDaySql('event.browser_time')} as day,
        event.app_id,
        event.guide_id,
        coalesce(event.guide_step_id, '') as step_id,
        count(*) filter (where event.type = 'guideSeen') as seen,
        count(*) filter (where event.type = 'guideAdvanced') as advanced,
        count(*) filter (where event.type = 'guideDismissed') as dismissed,
        count(distinct event.visitor_id) as visitors
      from pendo_guide_events as event
      where ${dayRangeSql('event.browser_time')} and ${appFilterSql('event.app_id')}
      group by 1, 2, 3, 4
    )
    insert into pendo_guide_step_daily (
      day, app_id, guide_id, step_id, step_number, seen, advanced, dismissed, visitors
    )
    select
      counts.day,
      counts.app_id,
      counts.guide_id,
      counts.step_id,
      position.step_number,
      counts.seen,
      counts.advanced,
      counts.dismissed,
      counts.visitors
    from step_counts as counts
    left join pendo_guides as guide on guide.id = counts.guide_id
    left join lateral (
      select min(step.number)::integer as step_number
      from jsonb_array_elements(
        case when jsonb_typeof(guide.raw -> 'steps') = 'array' then guide.raw -> 'steps' end
      ) with ordinality as step (value, number)
      where step.value ->> 'id' = counts.step_id
    ) as position on true`,
};

/** Poll responses per local day, app, guide and poll. */
export const POLL_DAILY: RollupSpec = {
  table: 'pendo_poll_daily',
  stream: 'poll_events',
  insertSql: `
    insert into pendo_poll_daily (day, app_id, guide_id, poll_id, responses, visitors)
    select
      ${localDaySql('event.browser_time')},
      event.app_id,
      event.guide_id,
      event.poll_id,
      count(*),
      count(distinct event.visitor_id)
    from pendo_poll_events as event
    where ${dayRangeSql('event.browser_time')} and ${appFilterSql('event.app_id')}
    group by 1, 2, 3, 4`,
};
