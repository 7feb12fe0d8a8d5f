-- Event windows are local days of the subscription's time zone, and so are the rollups. Each
-- window now records the zone it was read in, so that a stream whose zone setting changed
-- reads its history again instead of mixing days of two zones. Windows read before this
-- migration keep null: the zone they were read in is not known.
alter table sync_event_windows add column if not exists time_zone text;

comment on column sync_event_windows.time_zone is
  'IANA time zone whose local day the window is; null when read before pendo-sync recorded it.';
