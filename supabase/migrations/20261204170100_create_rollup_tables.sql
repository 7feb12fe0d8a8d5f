-- Rollup tables: daily (and hourly) sums of the event tables, for dashboards.
--
-- Days and hours are local to the subscription time zone that the sync is configured with.
-- pendo-sync recomputes the rollup rows of every local day a sync window touches, in the
-- same transaction that writes the window's events: it deletes those days' rows and inserts
-- fresh sums. So after each window the rollups of the days it touched match the stored event
-- rows, and unique visitor counts are exact per day (and per hour for activity).
--
-- Unique visitors cannot be added up across days: a visitor active on two days counts once
-- on each. Count distinct visitors over a longer range from the event tables instead.

create table if not exists pendo_guide_daily (
  day date not null,
  app_id bigint not null,
  guide_id text not null,
  views bigint not null,
  visitors bigint not null,
  completions bigint not null,
  dismissals bigint not null,
  primary key (day, app_id, guide_id)
);

create table if not exists pendo_guide_step_daily (
  day date not null,
  app_id bigint not null,
  guide_id text not null,
  step_id text not null,
  step_number integer,
  seen bigint not null,
  advanced bigint not null,
  dismissed bigint not null,
  visitors bigint not null,
  primary key (day, app_id, guide_id, step_id)
);

create table if not exists pendo_feature_daily (
  day date not null,
  app_id bigint not null,
  feature_id text not null,
  clicks bigint not null,
  visitors bigint not null,
  accounts bigint not null,
  primary key (day, app_id, feature_id)
);

create table if not exists pendo_page_daily (
  day date not null,
  app_id bigint not null,
  page_id text not null,
  views bigint not null,
  visitors bigint not null,
  minutes bigint not null,
  rage_clicks bigint not null,
  dead_clicks bigint not null,
  error_clicks bigint not null,
  u_turns bigint not null,
  primary key (day, app_id, page_id)
);

create table if not exists pendo_poll_daily (
  day date not null,
  app_id bigint not null,
  guide_id text not null,
  poll_id text not null,
  responses bigint not null,
  visitors bigint not null,
  primary key (day, app_id, guide_id, poll_id)
);

create table if not exists pendo_activity_hourly (
  day date not null,
  hour smallint not null check (hour between 0 and 23),
  app_id bigint not null,
  iso_weekday smallint not null check (iso_weekday between 1 and 7),
  events bigint not null,
  minutes bigint not null,
  visitors bigint not null,
  primary key (day, hour, app_id)
);

-- The primary keys serve queries by day; these serve one guide, feature, page or poll over
-- time, and activity by weekday.
create index if not exists pendo_guide_daily_guide_idx on pendo_guide_daily (guide_id, day);
create index if not exists pendo_guide_step_daily_guide_idx
  on pendo_guide_step_daily (guide_id, day);
create index if not exists pendo_feature_daily_feature_idx on pendo_feature_daily (feature_id, day);
create index if not exists pendo_page_daily_page_idx on pendo_page_daily (page_id, day);
create index if not exists pendo_poll_daily_poll_idx on pendo_poll_daily (poll_id, day);
create index if not exists pendo_activity_hourly_weekday_idx
  on pendo_activity_hourly (iso_weekday, hour);

alter table pendo_guide_daily enable row level security;
alter table pendo_guide_step_daily enable row level security;
alter table pendo_feature_daily enable row level security;
alter table pendo_page_daily enable row level security;
alter table pendo_poll_daily enable row level security;
alter table pendo_activity_hourly enable row level security;

-- Activity by weekday and hour over every stored date. A view reads its tables with its
-- owner's rights unless it is a security invoker view (PostgreSQL 15 and later), and the
-- owner bypasses row level security. So on PostgreSQL 15+ the view is a security invoker
-- view, and on older servers Supabase's API roles lose their access to it instead.
do $$
declare
  options text := '';
  api_role text;
begin
  if current_setting('server_version_num')::int >= 150000 then
    options := 'with (security_invoker = true)';
  end if;
  execute format($v$
    create or replace view pendo_activity_weekday_hour %s as
    select
      app_id,
      iso_weekday,
      hour,
      count(*) as days,
      sum(events) as events,
      sum(minutes) as minutes,
      sum(visitors) as visitor_sum,
      avg(visitors) as visitors_avg
    from pendo_activity_hourly
    group by app_id, iso_weekday, hour
  $v$, options);
  if options = '' then
    foreach api_role in array array['anon', 'authenticated'] loop
      if exists (select 1 from pg_roles where rolname = api_role) then
        execute format('revoke all on pendo_activity_weekday_hour from %I', api_role);
      end if;
    end loop;
  end if;
end
$$;

comment on table pendo_guide_daily is 'Guide events per local day, app and guide, from pendo_guide_events.';
comment on table pendo_guide_step_daily is 'Guide events per local day, app, guide and step, from pendo_guide_events: the steps of a funnel.';
comment on table pendo_feature_daily is 'Feature clicks per local day, app and feature, from pendo_feature_events.';
comment on table pendo_page_daily is 'Page views per local day, app and page, from pendo_page_events.';
comment on table pendo_poll_daily is 'Poll responses per local day, app, guide and poll, from pendo_poll_events.';
comment on table pendo_activity_hourly is 'All activity per local date, local hour and app, from pendo_events.';
comment on view pendo_activity_weekday_hour is 'Activity per app, ISO weekday and local hour over every date in pendo_activity_hourly.';

-- The key columns that every rollup table shares get the same comment on every table.
do $$
declare
  rollup_table text;
begin
  foreach rollup_table in array array[
    'pendo_guide_daily', 'pendo_guide_step_daily', 'pendo_feature_daily', 'pendo_page_daily',
    'pendo_poll_daily', 'pendo_activity_hourly'
  ] loop
    execute format($c$comment on column %I.day is 'Local date in the subscription time zone that the sync was configured with.'$c$, rollup_table);
    execute format($c$comment on column %I.app_id is 'appId of the events.'$c$, rollup_table);
    execute format($c$comment on column %I.visitors is 'Distinct visitorIds with at least one counted event (exact for the day, or for the hour in pendo_activity_hourly).'$c$, rollup_table);
  end loop;
end
$$;

comment on column pendo_guide_daily.guide_id is 'guideId of the events.';
comment on column pendo_guide_daily.views is 'guideSeen events.';
comment on column pendo_guide_daily.completions is 'guideAdvanced events on the last step of the guide: the last entry of steps in pendo_guides.raw, read when the day is recomputed and again after each sync of the guides. 0 when the guide is not in pendo_guides. Counts events, so a visitor who finishes twice counts twice.';
comment on column pendo_guide_daily.dismissals is 'guideDismissed events.';

comment on column pendo_guide_step_daily.guide_id is 'guideId of the events.';
comment on column pendo_guide_step_daily.step_id is 'guideStepId of the events; empty when the events had none.';
comment on column pendo_guide_step_daily.step_number is 'Position of the step in the steps of the stored guide, from 1, updated after each sync of the guides. Null when the guide or step is not in pendo_guides.';
comment on column pendo_guide_step_daily.seen is 'guideSeen events on the step.';
comment on column pendo_guide_step_daily.advanced is 'guideAdvanced events on the step.';
comment on column pendo_guide_step_daily.dismissed is 'guideDismissed events on the step.';

comment on column pendo_feature_daily.feature_id is 'featureId of the events.';
comment on column pendo_feature_daily.clicks is 'Sum of numEvents.';
comment on column pendo_feature_daily.accounts is 'Distinct accountIds, rows without an account not counted.';

comment on column pendo_page_daily.page_id is 'pageId of the events.';
comment on column pendo_page_daily.views is 'Sum of numEvents.';
comment on column pendo_page_daily.minutes is 'Sum of numMinutes.';
comment on column pendo_page_daily.rage_clicks is 'Sum of rageClickCount.';
comment on column pendo_page_daily.dead_clicks is 'Sum of deadClickCount.';
comment on column pendo_page_daily.error_clicks is 'Sum of errorClickCount.';
comment on column pendo_page_daily.u_turns is 'Sum of uTurnCount.';

comment on column pendo_poll_daily.guide_id is 'guideId of the guide that shows the poll.';
comment on column pendo_poll_daily.poll_id is 'pollId of the responses.';
comment on column pendo_poll_daily.responses is 'Poll events (rows of pendo_poll_events).';

comment on column pendo_activity_hourly.hour is 'Local hour, 0-23: of the bucket start for hour rows, of firstTime for day rows. On the day clocks go back, the repeated hour sums both of its UTC hours.';
comment on column pendo_activity_hourly.iso_weekday is 'ISO weekday of day: 1 is Monday, 7 is Sunday.';
comment on column pendo_activity_hourly.events is 'Sum of numEvents.';
comment on column pendo_activity_hourly.minutes is 'Sum of numMinutes.';

comment on column pendo_activity_weekday_hour.app_id is 'appId of the events.';
comment on column pendo_activity_weekday_hour.iso_weekday is 'ISO weekday: 1 is Monday, 7 is Sunday.';
comment on column pendo_activity_weekday_hour.hour is 'Local hour, 0-23.';
comment on column pendo_activity_weekday_hour.days is 'Dates with activity in this weekday and hour.';
comment on column pendo_activity_weekday_hour.events is 'Sum of numEvents.';
comment on column pendo_activity_weekday_hour.minutes is 'Sum of numMinutes.';
comment on column pendo_activity_weekday_hour.visitor_sum is 'Sum of the hourly unique visitors: a visitor active in this hour on two dates counts twice.';
comment on column pendo_activity_weekday_hour.visitors_avg is 'Average unique visitors per date with activity in this weekday and hour.';
