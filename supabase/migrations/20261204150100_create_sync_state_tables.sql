-- Tables pendo-sync uses to run: the run log, the cursor of each entity and the ids seen by
-- the running pass. Every statement is idempotent, like the catalog migration.

create table if not exists sync_status (
  id bigserial primary key,
  run_id uuid not null,
  entity text not null,
  mode text not null check (mode in ('incremental', 'full')),
  status text not null check (status in ('running', 'completed', 'partial', 'failed')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  fetched bigint not null default 0,
  inserted bigint not null default 0,
  updated bigint not null default 0,
  unchanged bigint not null default 0,
  deleted bigint not null default 0,
  undeleted bigint not null default 0,
  api_calls bigint not null default 0,
  error text,
  cursor jsonb
);

create index if not exists sync_status_entity_started_at_idx
  on sync_status (entity, started_at desc);
create index if not exists sync_status_run_id_idx on sync_status (run_id);
create index if not exists sync_status_running_idx on sync_status (status)
  where status = 'running';

create table if not exists sync_cursors (
  entity text primary key,
  cursor_ts bigint,
  cursor_id text,
  full_pass_id uuid,
  full_pass_cursor_id text,
  full_pass_high_water_ts bigint,
  full_pass_started_at timestamptz,
  last_full_pass_at timestamptz,
  last_id_pass_at timestamptz,
  updated_at timestamptz not null default now()
);

create table if not exists sync_seen_ids (
  entity text not null,
  pass_id uuid not null,
  id text not null,
  primary key (entity, id)
);

alter table sync_status enable row level security;
alter table sync_cursors enable row level security;
alter table sync_seen_ids enable row level security;

comment on table sync_status is 'Run log: one row per run and entity, updated while the run goes on.';
comment on column sync_status.run_id is 'Id shared by all entities of one pendo-sync run.';
comment on column sync_status.entity is 'Catalog entity: guides, features, pages, track_types, reports or segments.';
comment on column sync_status.mode is 'incremental (records changed since the cursor) or full (every record, with deletion detection).';
comment on column sync_status.status is 'running, completed, partial (stopped early, progress kept) or failed.';
comment on column sync_status.started_at is 'When the entity''s pass started.';
comment on column sync_status.finished_at is 'When the pass ended; null while running.';
comment on column sync_status.fetched is 'Records received from Pendo.';
comment on column sync_status.inserted is 'Rows inserted (ids not stored before).';
comment on column sync_status.updated is 'Rows whose record changed and were rewritten.';
comment on column sync_status.unchanged is 'Records identical to the stored row, so the row was not rewritten.';
comment on column sync_status.deleted is 'Rows marked deleted because Pendo no longer lists them.';
comment on column sync_status.undeleted is 'Rows marked deleted earlier that Pendo lists again.';
comment on column sync_status.api_calls is 'Requests sent to the Pendo API, retries included.';
comment on column sync_status.error is 'Error message of a failed or partial pass, with secrets removed.';
comment on column sync_status.cursor is 'Cursor reached: {"timestamp": epoch ms, "id": text}.';

comment on table sync_cursors is 'Sync position of each entity, saved in the same transaction as the batch it follows.';
comment on column sync_cursors.cursor_ts is 'Incremental cursor: lastUpdatedAt (epoch ms) of the last committed record.';
comment on column sync_cursors.cursor_id is 'Incremental cursor: id of the last committed record, which breaks ties on cursor_ts.';
comment on column sync_cursors.full_pass_id is 'Id of the unfinished full pass, so a later run resumes it; null when none is open.';
comment on column sync_cursors.full_pass_cursor_id is 'Last id committed by the unfinished full pass.';
comment on column sync_cursors.full_pass_high_water_ts is 'Highest lastUpdatedAt (epoch ms) seen by the unfinished full pass; becomes the incremental cursor when it finishes.';
comment on column sync_cursors.full_pass_started_at is 'When the unfinished full pass started.';
comment on column sync_cursors.last_full_pass_at is 'When the last full pass finished.';
comment on column sync_cursors.last_id_pass_at is 'When the last pass over ids only (deletion check) finished.';
comment on column sync_cursors.updated_at is 'When this row last changed.';

comment on table sync_seen_ids is 'Ids seen by the current pass over all ids of an entity; ids missing at its end are marked deleted. Kept on disk so memory stays flat at any catalog size.';
comment on column sync_seen_ids.pass_id is 'Pass that last saw the id; rows of older passes count as not seen.';
