-- Event tables: the rows of Pendo's event aggregation sources, one table per source.
--
-- Pendo's dimensions do not make event rows unique (two visits of one visitor to one page in
-- one day come back as two rows), so each row is keyed by the md5 of its JSON text
-- (`row_hash`) inside its time bucket and app. A sync replaces every row of a time window in
-- one transaction, so reading a window again never counts a row twice.
--
-- The tables are partitioned by month on their time column. pendo-sync creates the
-- partition of a month before it writes rows into it, and the retention setting drops whole
-- partitions, which is cheap at any size.

create table if not exists pendo_page_events (
  app_id bigint not null,
  period text not null check (period in ('day', 'hour')),
  bucket_start timestamptz not null,
  row_hash uuid not null,
  page_id text not null,
  visitor_id text not null,
  account_id text,
  num_events bigint not null,
  num_minutes bigint not null,
  first_time timestamptz,
  last_time timestamptz,
  server text,
  remote_ip text,
  user_agent text,
  parameters jsonb,
  rage_click_count bigint,
  dead_click_count bigint,
  error_click_count bigint,
  u_turn_count bigint,
  raw jsonb not null,
  synced_at timestamptz not null,
  primary key (bucket_start, app_id, row_hash)
) partition by range (bucket_start);

create table if not exists pendo_feature_events (
  app_id bigint not null,
  period text not null check (period in ('day', 'hour')),
  bucket_start timestamptz not null,
  row_hash uuid not null,
  feature_id text not null,
  visitor_id text not null,
  account_id text,
  num_events bigint not null,
  num_minutes bigint not null,
  first_time timestamptz,
  last_time timestamptz,
  server text,
  remote_ip text,
  user_agent text,
  parameters jsonb,
  raw jsonb not null,
  synced_at timestamptz not null,
  primary key (bucket_start, app_id, row_hash)
) partition by range (bucket_start);

create table if not exists pendo_track_events (
  app_id bigint not null,
  period text not null check (period in ('day', 'hour')),
  bucket_start timestamptz not null,
  row_hash uuid not null,
  track_type_id text not null,
  visitor_id text not null,
  account_id text,
  num_events bigint not null,
  num_minutes bigint not null,
  first_time timestamptz,
  last_time timestamptz,
  server text,
  remote_ip text,
  user_agent text,
  parameters jsonb,
  properties jsonb,
  raw jsonb not null,
  synced_at timestamptz not null,
  primary key (bucket_start, app_id, row_hash)
) partition by range (bucket_start);

create table if not exists pendo_events (
  app_id bigint not null,
  period text not null check (period in ('day', 'hour')),
  bucket_start timestamptz not null,
  row_hash uuid not null,
  visitor_id text not null,
  account_id text,
  num_events bigint not null,
  num_minutes bigint not null,
  first_time timestamptz,
  last_time timestamptz,
  server text,
  remote_ip text,
  user_agent text,
  parameters jsonb,
  raw jsonb not null,
  synced_at timestamptz not null,
  primary key (bucket_start, app_id, row_hash)
) partition by range (bucket_start);

create table if not exists pendo_guide_events (
  app_id bigint not null,
  browser_time timestamptz not null,
  row_hash uuid not null,
  guide_id text not null,
  guide_step_id text,
  type text not null,
  visitor_id text not null,
  account_id text,
  guide_timestamp timestamptz,
  url text,
  element_path text,
  load_time bigint,
  country text,
  region text,
  latitude double precision,
  longitude double precision,
  remote_ip text,
  server_name text,
  user_agent text,
  raw jsonb not null,
  synced_at timestamptz not null,
  primary key (browser_time, app_id, row_hash)
) partition by range (browser_time);

create table if not exists pendo_poll_events (
  app_id bigint not null,
  browser_time timestamptz not null,
  row_hash uuid not null,
  guide_id text not null,
  guide_step_id text,
  poll_id text not null,
  poll_response text,
  type text not null,
  visitor_id text not null,
  account_id text,
  guide_timestamp timestamptz,
  url text,
  country text,
  region text,
  remote_ip text,
  server_name text,
  user_agent text,
  raw jsonb not null,
  synced_at timestamptz not null,
  primary key (browser_time, app_id, row_hash)
) partition by range (browser_time);

-- Indexes on a partitioned table are created on every partition, present and future.
create index if not exists pendo_page_events_page_idx on pendo_page_events (page_id, bucket_start);
create index if not exists pendo_page_events_visitor_idx on pendo_page_events (visitor_id, bucket_start);
create index if not exists pendo_feature_events_feature_idx on pendo_feature_events (feature_id, bucket_start);
create index if not exists pendo_feature_events_visitor_idx on pendo_feature_events (visitor_id, bucket_start);
create index if not exists pendo_track_events_track_type_idx on pendo_track_events (track_type_id, bucket_start);
create index if not exists pendo_track_events_visitor_idx on pendo_track_events (visitor_id, bucket_start);
create index if not exists pendo_events_visitor_idx on pendo_events (visitor_id, bucket_start);
create index if not exists pendo_events_account_idx on pendo_events (account_id, bucket_start);
create index if not exists pendo_guide_events_guide_idx on pendo_guide_events (guide_id, browser_time);
create index if not exists pendo_guide_events_visitor_idx on pendo_guide_events (visitor_id, browser_time);
create index if not exists pendo_poll_events_poll_idx on pendo_poll_events (poll_id, browser_time);
create index if not exists pendo_poll_events_visitor_idx on pendo_poll_events (visitor_id, browser_time);

-- One row per event stream and time window read: the stream's checkpoints. A window is
-- final once it was read after the lookback had passed, and final windows are not read again.
create table if not exists sync_event_windows (
  stream text not null,
  app_scope text not null,
  window_start timestamptz not null,
  window_end timestamptz not null,
  period text not null check (period in ('day', 'hour')),
  rows bigint not null,
  final boolean not null,
  read_at timestamptz not null,
  pendo_time timestamptz not null,
  run_id uuid not null,
  primary key (stream, app_scope, window_start)
);

alter table sync_status drop constraint if exists sync_status_mode_check;
alter table sync_status add constraint sync_status_mode_check
  check (mode in ('incremental', 'full', 'backfill'));

do $$
declare
  event_table text;
begin
  foreach event_table in array array[
    'pendo_page_events', 'pendo_feature_events', 'pendo_track_events', 'pendo_events',
    'pendo_guide_events', 'pendo_poll_events'
  ] loop
    execute format('alter table %I enable row level security', event_table);
    execute format($c$comment on column %I.app_id is 'appId of the row.'$c$, event_table);
    execute format($c$comment on column %I.row_hash is 'md5 of the row''s JSON text; with the time column and app_id it makes rows unique.'$c$, event_table);
    execute format($c$comment on column %I.visitor_id is 'visitorId.'$c$, event_table);
    execute format($c$comment on column %I.account_id is 'accountId; null when Pendo sent none or an empty string.'$c$, event_table);
    execute format($c$comment on column %I.raw is 'The full row as Pendo returned it; the typed columns are extracted from it.'$c$, event_table);
    execute format($c$comment on column %I.synced_at is 'When pendo-sync first stored this row; a window read again leaves stored rows untouched.'$c$, event_table);
    execute format($c$comment on column %I.remote_ip is 'remoteIp: IP address the events came from.'$c$, event_table);
    execute format($c$comment on column %I.user_agent is 'userAgent: the browser''s user agent string.'$c$, event_table);
  end loop;
  foreach event_table in array array[
    'pendo_page_events', 'pendo_feature_events', 'pendo_track_events', 'pendo_events'
  ] loop
    execute format($c$comment on column %I.period is 'day or hour: the timeSeries period the row was read with.'$c$, event_table);
    execute format($c$comment on column %I.bucket_start is 'The row''s day (local midnight of the subscription time zone) or hour, from Pendo.'$c$, event_table);
    execute format($c$comment on column %I.num_events is 'numEvents: events of the visitor in the bucket.'$c$, event_table);
    execute format($c$comment on column %I.num_minutes is 'numMinutes: minutes with at least one event.'$c$, event_table);
    execute format($c$comment on column %I.first_time is 'firstTime: the first event of the row.'$c$, event_table);
    execute format($c$comment on column %I.last_time is 'lastTime: the last event of the row.'$c$, event_table);
    execute format($c$comment on column %I.server is 'server: host name of the app the events came from.'$c$, event_table);
    execute format($c$comment on column %I.parameters is 'parameters: page or URL parameters Pendo captured; null when none.'$c$, event_table);
  end loop;
  foreach event_table in array array['pendo_guide_events', 'pendo_poll_events'] loop
    execute format($c$comment on column %I.browser_time is 'browserTime: when the interaction happened in the browser.'$c$, event_table);
    execute format($c$comment on column %I.type is 'Event type, such as guideSeen, guideAdvanced, guideDismissed or pollResponse.'$c$, event_table);
    execute format($c$comment on column %I.guide_id is 'guideId: the guide shown.'$c$, event_table);
    execute format($c$comment on column %I.guide_step_id is 'guideStepId: the step of the guide.'$c$, event_table);
    execute format($c$comment on column %I.guide_timestamp is 'guideTimestamp: when Pendo received the interaction.'$c$, event_table);
    execute format($c$comment on column %I.url is 'url: the page the guide was shown on.'$c$, event_table);
    execute format($c$comment on column %I.country is 'country: country code derived from the IP address.'$c$, event_table);
    execute format($c$comment on column %I.region is 'region: region derived from the IP address.'$c$, event_table);
    execute format($c$comment on column %I.server_name is 'serverName: host name of the app.'$c$, event_table);
  end loop;
end
$$;

alter table sync_event_windows enable row level security;

comment on table pendo_page_events is 'Rows of the pageEvents source: page views per visitor and period.';
comment on table pendo_feature_events is 'Rows of the featureEvents source: feature clicks per visitor and period.';
comment on table pendo_track_events is 'Rows of the trackEvents source: track events per visitor and period.';
comment on table pendo_events is 'Rows of the events source: all activity per visitor and period.';
comment on table pendo_guide_events is 'Rows of the guideEvents source: one row per guide interaction.';
comment on table pendo_poll_events is 'Rows of the pollEvents source: one row per poll response.';
comment on table sync_event_windows is 'Time windows each event stream has read: its checkpoints.';
comment on column sync_event_windows.app_scope is 'Apps the window was read for: * for every app, else app ids separated by commas.';
comment on column sync_event_windows.final is 'True when the window was read after its lookback had passed; final windows are not read again.';
comment on column sync_event_windows.pendo_time is 'Pendo''s clock (its Date header) when the window was read.';

comment on column pendo_page_events.page_id is 'pageId: the page viewed.';
comment on column pendo_page_events.rage_click_count is 'rageClickCount: rage clicks in the row''s events.';
comment on column pendo_page_events.dead_click_count is 'deadClickCount: clicks that changed nothing.';
comment on column pendo_page_events.error_click_count is 'errorClickCount: clicks followed by a JavaScript error.';
comment on column pendo_page_events.u_turn_count is 'uTurnCount: visits that left the page and came straight back.';
comment on column pendo_feature_events.feature_id is 'featureId: the feature clicked.';
comment on column pendo_track_events.track_type_id is 'trackTypeId: the track event type.';
comment on column pendo_track_events.properties is 'properties: the track event''s properties; null when none.';
comment on column pendo_guide_events.element_path is 'elementPath: the element the guide was attached to.';
comment on column pendo_guide_events.load_time is 'loadTime: time the guide took to load, in milliseconds.';
comment on column pendo_guide_events.latitude is 'latitude derived from the IP address.';
comment on column pendo_guide_events.longitude is 'longitude derived from the IP address.';
comment on column pendo_poll_events.poll_id is 'pollId: the poll answered.';
comment on column pendo_poll_events.poll_response is 'pollResponse: the answer, as the text Pendo sends (a number for NPS polls).';
comment on column sync_event_windows.stream is 'Event stream name, such as page_events.';
comment on column sync_event_windows.window_start is 'Start of the window: local midnight of the time zone the sync ran with.';
comment on column sync_event_windows.window_end is 'End of the window, exclusive: the next local midnight (23 or 25 hours later on DST days).';
comment on column sync_event_windows.period is 'day, or hour when the window was read by the hour (its rows are then hour rows).';
comment on column sync_event_windows.rows is 'Rows Pendo returned for the window at its latest read.';
comment on column sync_event_windows.read_at is 'When the window was last read, by the local clock.';
comment on column sync_event_windows.run_id is 'The run that last read the window (sync_status.run_id).';
