-- A btree index entry holds at most about 2,700 bytes after compression, so one record with a
-- long name (a guide named with a pasted document, say) failed the insert of its whole batch
-- with SQLSTATE 54000, and every later run failed on the same batch. A hash index stores a
-- 4-byte hash of a value of any length and still serves `where name = …`; ordering or range
-- queries by name no longer use an index.
drop index if exists pendo_guides_name_idx;
create index if not exists pendo_guides_name_hash_idx on pendo_guides using hash (name);

drop index if exists pendo_features_name_idx;
create index if not exists pendo_features_name_hash_idx on pendo_features using hash (name);

drop index if exists pendo_pages_name_idx;
create index if not exists pendo_pages_name_hash_idx on pendo_pages using hash (name);

drop index if exists pendo_track_types_name_idx;
create index if not exists pendo_track_types_name_hash_idx on pendo_track_types using hash (name);

drop index if exists pendo_reports_name_idx;
create index if not exists pendo_reports_name_hash_idx on pendo_reports using hash (name);

drop index if exists pendo_segments_name_idx;
create index if not exists pendo_segments_name_hash_idx on pendo_segments using hash (name);

drop index if exists pendo_accounts_name_idx;
create index if not exists pendo_accounts_name_hash_idx on pendo_accounts using hash (name);
