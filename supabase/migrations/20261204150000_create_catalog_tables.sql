-- Catalog tables: one row per Pendo object, keyed by Pendo's id.
--
-- Every statement is idempotent (`if not exists`), so this file can be applied by the Supabase
-- CLI, by `pendo-sync migrate`, or by both in either order.
--
-- The typed columns are copies of fields of `raw`, extracted for indexing and querying. `raw`
-- holds the whole record as Pendo returned it and is the source of truth.
--
-- Row level security is enabled with no policies, so Supabase's `anon` and `authenticated`
-- roles cannot read Pendo data through the REST API. The table owner (the role pendo-sync
-- connects as) bypasses row level security. Add policies to expose a table on purpose.

create table if not exists pendo_guides (
  id text primary key,
  app_id bigint,
  app_ids bigint[],
  kind text,
  name text,
  created_at timestamptz,
  last_updated_at timestamptz,
  created_by_user_id text,
  last_updated_by_user_id text,
  state text,
  launch_method text,
  is_multi_step boolean,
  is_training boolean,
  step_count integer,
  poll_count integer,
  published_at timestamptz,
  reset_at timestamptz,
  expires_at timestamptz,
  raw jsonb not null,
  first_seen_at timestamptz not null,
  synced_at timestamptz not null,
  deleted_at timestamptz
);

create table if not exists pendo_features (
  id text primary key,
  app_id bigint,
  app_ids bigint[],
  kind text,
  name text,
  created_at timestamptz,
  last_updated_at timestamptz,
  created_by_user_id text,
  last_updated_by_user_id text,
  group_id text,
  group_name text,
  page_id text,
  app_wide boolean,
  is_core_event boolean,
  raw jsonb not null,
  first_seen_at timestamptz not null,
  synced_at timestamptz not null,
  deleted_at timestamptz
);

create table if not exists pendo_pages (
  id text primary key,
  app_id bigint,
  app_ids bigint[],
  kind text,
  name text,
  created_at timestamptz,
  last_updated_at timestamptz,
  created_by_user_id text,
  last_updated_by_user_id text,
  group_id text,
  group_name text,
  is_core_event boolean,
  rule_count integer,
  raw jsonb not null,
  first_seen_at timestamptz not null,
  synced_at timestamptz not null,
  deleted_at timestamptz
);

create table if not exists pendo_track_types (
  id text primary key,
  app_id bigint,
  app_ids bigint[],
  kind text,
  name text,
  created_at timestamptz,
  last_updated_at timestamptz,
  created_by_user_id text,
  last_updated_by_user_id text,
  group_id text,
  group_name text,
  track_type_name text,
  is_core_event boolean,
  raw jsonb not null,
  first_seen_at timestamptz not null,
  synced_at timestamptz not null,
  deleted_at timestamptz
);

create table if not exists pendo_reports (
  id text primary key,
  app_id bigint,
  app_ids bigint[],
  kind text,
  name text,
  created_at timestamptz,
  last_updated_at timestamptz,
  created_by_user_id text,
  last_updated_by_user_id text,
  report_type text,
  shared boolean,
  scope text,
  level text,
  owned_by_user_id text,
  last_run_at timestamptz,
  last_success_run_at timestamptz,
  raw jsonb not null,
  first_seen_at timestamptz not null,
  synced_at timestamptz not null,
  deleted_at timestamptz
);

create table if not exists pendo_segments (
  id text primary key,
  app_id bigint,
  app_ids bigint[],
  kind text,
  name text,
  created_at timestamptz,
  last_updated_at timestamptz,
  created_by_user_id text,
  last_updated_by_user_id text,
  created_by_api boolean,
  is_focus_group boolean,
  raw jsonb not null,
  first_seen_at timestamptz not null,
  synced_at timestamptz not null,
  deleted_at timestamptz
);

-- Indexes for the common filters: by app, by recency, deleted rows (a small partial index,
-- since most rows are live) and lookups by name.
create index if not exists pendo_guides_app_id_idx on pendo_guides (app_id);
create index if not exists pendo_guides_last_updated_at_idx on pendo_guides (last_updated_at);
create index if not exists pendo_guides_deleted_at_idx on pendo_guides (deleted_at)
  where deleted_at is not null;
create index if not exists pendo_guides_name_idx on pendo_guides (name);
create index if not exists pendo_guides_state_idx on pendo_guides (state);

create index if not exists pendo_features_app_id_idx on pendo_features (app_id);
create index if not exists pendo_features_last_updated_at_idx on pendo_features (last_updated_at);
create index if not exists pendo_features_deleted_at_idx on pendo_features (deleted_at)
  where deleted_at is not null;
create index if not exists pendo_features_name_idx on pendo_features (name);
create index if not exists pendo_features_group_id_idx on pendo_features (group_id);
create index if not exists pendo_features_page_id_idx on pendo_features (page_id);

create index if not exists pendo_pages_app_id_idx on pendo_pages (app_id);
create index if not exists pendo_pages_last_updated_at_idx on pendo_pages (last_updated_at);
create index if not exists pendo_pages_deleted_at_idx on pendo_pages (deleted_at)
  where deleted_at is not null;
create index if not exists pendo_pages_name_idx on pendo_pages (name);
create index if not exists pendo_pages_group_id_idx on pendo_pages (group_id);

create index if not exists pendo_track_types_app_id_idx on pendo_track_types (app_id);
create index if not exists pendo_track_types_last_updated_at_idx
  on pendo_track_types (last_updated_at);
create index if not exists pendo_track_types_deleted_at_idx on pendo_track_types (deleted_at)
  where deleted_at is not null;
create index if not exists pendo_track_types_name_idx on pendo_track_types (name);

-- Reports and segments are subscription-level objects without an app id, so they get no
-- app_id index.
create index if not exists pendo_reports_last_updated_at_idx on pendo_reports (last_updated_at);
create index if not exists pendo_reports_deleted_at_idx on pendo_reports (deleted_at)
  where deleted_at is not null;
create index if not exists pendo_reports_name_idx on pendo_reports (name);

create index if not exists pendo_segments_last_updated_at_idx on pendo_segments (last_updated_at);
create index if not exists pendo_segments_deleted_at_idx on pendo_segments (deleted_at)
  where deleted_at is not null;
create index if not exists pendo_segments_name_idx on pendo_segments (name);

alter table pendo_guides enable row level security;
alter table pendo_features enable row level security;
alter table pendo_pages enable row level security;
alter table pendo_track_types enable row level security;
alter table pendo_reports enable row level security;
alter table pendo_segments enable row level security;

comment on table pendo_guides is 'Pendo guides (GET /api/v1/guide), one row per guide id.';
comment on table pendo_features is 'Pendo features (GET /api/v1/feature), one row per feature id.';
comment on table pendo_pages is 'Pendo pages (GET /api/v1/page), one row per page id.';
comment on table pendo_track_types is 'Pendo track types (GET /api/v1/tracktype), one row per track type id.';
comment on table pendo_reports is 'Pendo reports (GET /api/v1/report), one row per report id.';
comment on table pendo_segments is 'Pendo segments (GET /api/v1/segment), one row per segment id.';

-- The columns that all six catalog tables share get the same comment on every table.
do $$
declare
  catalog_table text;
begin
  foreach catalog_table in array array[
    'pendo_guides', 'pendo_features', 'pendo_pages',
    'pendo_track_types', 'pendo_reports', 'pendo_segments'
  ] loop
    execute format($c$comment on column %I.id is 'Pendo object id (opaque string, may start with "-").'$c$, catalog_table);
    execute format($c$comment on column %I.app_id is 'Pendo app id (appId); -323232 is the default web app. Null for subscription-level objects.'$c$, catalog_table);
    execute format($c$comment on column %I.app_ids is 'All app ids of the object (appIds).'$c$, catalog_table);
    execute format($c$comment on column %I.kind is 'Pendo kind, such as Guide, Feature, Page, Report or Segment.'$c$, catalog_table);
    execute format($c$comment on column %I.name is 'Display name in Pendo.'$c$, catalog_table);
    execute format($c$comment on column %I.created_at is 'createdAt; null when Pendo sent 0 or nothing.'$c$, catalog_table);
    execute format($c$comment on column %I.last_updated_at is 'lastUpdatedAt; null when Pendo sent 0 or nothing.'$c$, catalog_table);
    execute format($c$comment on column %I.created_by_user_id is 'createdByUser.id (a Pendo user id, digits as text).'$c$, catalog_table);
    execute format($c$comment on column %I.last_updated_by_user_id is 'lastUpdatedByUser.id (a Pendo user id, digits as text).'$c$, catalog_table);
    execute format($c$comment on column %I.raw is 'The full record as Pendo returned it; the typed columns are extracted from it.'$c$, catalog_table);
    execute format($c$comment on column %I.first_seen_at is 'When pendo-sync first stored this id.'$c$, catalog_table);
    execute format($c$comment on column %I.synced_at is 'When pendo-sync last inserted or changed this row (unchanged records do not move it).'$c$, catalog_table);
    execute format($c$comment on column %I.deleted_at is 'When a pass over all ids no longer found the object in Pendo; null while it exists, and cleared when it comes back.'$c$, catalog_table);
  end loop;
end
$$;

comment on column pendo_guides.state is 'Guide state, such as public, draft, disabled or _pendingReview_.';
comment on column pendo_guides.launch_method is 'launchMethod, such as auto, badge or api.';
comment on column pendo_guides.is_multi_step is 'isMultiStep.';
comment on column pendo_guides.is_training is 'isTraining.';
comment on column pendo_guides.step_count is 'Number of entries in steps.';
comment on column pendo_guides.poll_count is 'Number of entries in polls (0 when the guide has no polls).';
comment on column pendo_guides.published_at is 'publishedAt; null when Pendo sent 0 (never published).';
comment on column pendo_guides.reset_at is 'resetAt; null when Pendo sent 0 (never reset).';
comment on column pendo_guides.expires_at is 'expiresAfter; null when Pendo sent 0 (never expires).';

comment on column pendo_features.group_id is 'group.id: the product area the feature belongs to.';
comment on column pendo_features.group_name is 'group.name.';
comment on column pendo_features.page_id is 'pageId: the page the feature is tagged on; may be empty when app_wide.';
comment on column pendo_features.app_wide is 'appWide: the feature matches on every page of the app.';
comment on column pendo_features.is_core_event is 'isCoreEvent.';

comment on column pendo_pages.group_id is 'group.id: the product area the page belongs to.';
comment on column pendo_pages.group_name is 'group.name.';
comment on column pendo_pages.is_core_event is 'isCoreEvent.';
comment on column pendo_pages.rule_count is 'Number of URL rules in rules.';

comment on column pendo_track_types.group_id is 'group.id: the product area the track type belongs to.';
comment on column pendo_track_types.group_name is 'group.name.';
comment on column pendo_track_types.track_type_name is 'trackTypeName: the event name the application sends.';
comment on column pendo_track_types.is_core_event is 'isCoreEvent.';

comment on column pendo_reports.report_type is 'type, such as Path, Funnel or Retention.';
comment on column pendo_reports.shared is 'shared: the report is visible to other Pendo users.';
comment on column pendo_reports.scope is 'scope, as Pendo sent it (often empty).';
comment on column pendo_reports.level is 'level, as Pendo sent it (often empty).';
comment on column pendo_reports.owned_by_user_id is 'ownedByUser.id; null when the report has no owner (Pendo sends an empty id).';
comment on column pendo_reports.last_run_at is 'lastRunAt; null when Pendo sent 0.';
comment on column pendo_reports.last_success_run_at is 'lastSuccessRunAt; null when Pendo sent 0.';

comment on column pendo_segments.created_by_api is 'createdByApi: the segment was created through the API, not the Pendo UI.';
comment on column pendo_segments.is_focus_group is 'isFocusGroup.';
