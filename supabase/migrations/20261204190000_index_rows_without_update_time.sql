-- Incremental runs read again, by id, the live rows stored without an update time (visitors
-- and accounts without metadata.auto.lastupdated), paging through them in id order. These
-- partial indexes hold only those rows, so each page reads them and nothing else, even when
-- they are a small share of a large table.
create index if not exists pendo_visitors_without_update_time_idx
  on pendo_visitors (id) where last_updated_at is null and deleted_at is null;
create index if not exists pendo_accounts_without_update_time_idx
  on pendo_accounts (id) where last_updated_at is null and deleted_at is null;
create index if not exists pendo_guides_without_update_time_idx
  on pendo_guides (id) where last_updated_at is null and deleted_at is null;
create index if not exists pendo_features_without_update_time_idx
  on pendo_features (id) where last_updated_at is null and deleted_at is null;
create index if not exists pendo_pages_without_update_time_idx
  on pendo_pages (id) where last_updated_at is null and deleted_at is null;
create index if not exists pendo_track_types_without_update_time_idx
  on pendo_track_types (id) where last_updated_at is null and deleted_at is null;
