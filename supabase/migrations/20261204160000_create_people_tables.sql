-- People tables: one row per Pendo visitor or account, keyed by its id.
--
-- Visitors and accounts are subscription-level records read from the `visitors` and `accounts`
-- aggregation sources, so these tables have no app_id. Every statement is idempotent, like the
-- catalog migration, and row level security is enabled with no policies for the same reason:
-- Supabase's `anon` and `authenticated` roles cannot read them through the REST API.

create table if not exists pendo_visitors (
  id text primary key,
  account_id text,
  account_ids text[],
  first_visit timestamptz,
  last_visit timestamptz,
  last_updated_at timestamptz,
  is_anonymous boolean,
  do_not_process boolean,
  email text,
  browser text,
  operating_system text,
  metadata jsonb,
  raw jsonb not null,
  first_seen_at timestamptz not null,
  synced_at timestamptz not null,
  deleted_at timestamptz
);

create table if not exists pendo_accounts (
  id text primary key,
  name text,
  first_visit timestamptz,
  last_visit timestamptz,
  last_updated_at timestamptz,
  metadata jsonb,
  raw jsonb not null,
  first_seen_at timestamptz not null,
  synced_at timestamptz not null,
  deleted_at timestamptz
);

create index if not exists pendo_visitors_last_updated_at_idx on pendo_visitors (last_updated_at);
create index if not exists pendo_visitors_account_id_idx on pendo_visitors (account_id);
create index if not exists pendo_visitors_deleted_at_idx on pendo_visitors (deleted_at)
  where deleted_at is not null;

create index if not exists pendo_accounts_last_updated_at_idx on pendo_accounts (last_updated_at);
create index if not exists pendo_accounts_deleted_at_idx on pendo_accounts (deleted_at)
  where deleted_at is not null;
create index if not exists pendo_accounts_name_idx on pendo_accounts (name);

alter table pendo_visitors enable row level security;
alter table pendo_accounts enable row level security;

comment on table pendo_visitors is 'Pendo visitors (aggregation source visitors), one row per visitorId.';
comment on table pendo_accounts is 'Pendo accounts (aggregation source accounts), one row per accountId.';

-- The columns that both people tables share get the same comment on each.
do $$
declare
  people_table text;
begin
  foreach people_table in array array['pendo_visitors', 'pendo_accounts'] loop
    execute format($c$comment on column %I.first_visit is 'metadata.auto.firstvisit; null when Pendo sent 0 or nothing.'$c$, people_table);
    execute format($c$comment on column %I.last_visit is 'metadata.auto.lastvisit; null when Pendo sent 0 or nothing.'$c$, people_table);
    execute format($c$comment on column %I.last_updated_at is 'metadata.auto.lastupdated; null when Pendo sent 0 or nothing (such records are stored by full passes only).'$c$, people_table);
    execute format($c$comment on column %I.metadata is 'The whole metadata object (agent, auto, auto__<app>, custom, pendo, …).'$c$, people_table);
    execute format($c$comment on column %I.raw is 'The full record as Pendo returned it; the typed columns are extracted from it.'$c$, people_table);
    execute format($c$comment on column %I.first_seen_at is 'When pendo-sync first stored this id.'$c$, people_table);
    execute format($c$comment on column %I.synced_at is 'When pendo-sync last inserted or changed this row (unchanged records do not move it).'$c$, people_table);
    execute format($c$comment on column %I.deleted_at is 'When a pass over all ids no longer found the record in Pendo; null while it exists, and cleared when it comes back.'$c$, people_table);
  end loop;
end
$$;

comment on column pendo_visitors.id is 'visitorId (any string; anonymous visitors start with _PENDO_T_).';
comment on column pendo_visitors.account_id is 'metadata.auto.accountid: the visitor''s current account.';
comment on column pendo_visitors.account_ids is 'metadata.auto.accountids: every account of the visitor.';
comment on column pendo_visitors.is_anonymous is 'True when the visitorId starts with _PENDO_T_. Synced only with SYNC_ANONYMOUS_VISITORS=true.';
comment on column pendo_visitors.do_not_process is 'metadata.pendo.donotprocess: Pendo keeps no data about the visitor, so the record is mostly empty.';
comment on column pendo_visitors.email is 'metadata.agent.email.';
comment on column pendo_visitors.browser is 'metadata.auto.lastbrowsername.';
comment on column pendo_visitors.operating_system is 'metadata.auto.lastoperatingsystem.';

comment on column pendo_accounts.id is 'accountId (any string).';
comment on column pendo_accounts.name is 'metadata.agent.name.';
