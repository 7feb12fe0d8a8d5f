/**
 * The event streams pendo-sync reads: one per Pendo event aggregation source, each stored in
 * its own table.
 */

/** Stream names, as `--streams` and `SYNC_STREAMS` take them, in the order a run starts them. */
export const EVENT_STREAMS = [
  'page_events',
  'feature_events',
  'track_events',
  'events',
  'guide_events',
  'poll_events',
] as const;

export type EventStream = (typeof EVENT_STREAMS)[number];

/** Pendo aggregation source of each stream. */
export type EventSourceName =
  'pageEvents' | 'featureEvents' | 'trackEvents' | 'events' | 'guideEvents' | 'pollEvents';

/** The timeSeries period a row was read with; `hour` rows are finer than `day` rows. */
export type EventPeriod = 'day' | 'hour';

export interface EventStreamSpec {
  stream: EventStream;
  source: EventSourceName;
  table: string;
  /**
   * `aggregate`: rows sum a visitor's events per day or hour (`day`/`hour`, numEvents, …).
   * `interaction`: one row per guide or poll event, timed by `browserTime`.
   */
  kind: 'aggregate' | 'interaction';
  /** Period the stream is read with unless a window has to be split into hours. */
  period: EventPeriod;
  /** Field of the page, feature, track type or guide the row is about; absent on `events`. */
  targetField?: 'pageId' | 'featureId' | 'trackTypeId' | 'guideId';
  /** Time column of the table, which is also its partition key. */
  timeColumn: 'bucket_start' | 'browser_time';
}

function aggregate(
  stream: EventStream,
  source: EventSourceName,
  table: string,
  period: EventPeriod,
  targetField?: EventStreamSpec['targetField'],
): EventStreamSpec {
  return {
    stream,
    source,
    table,
    kind: 'aggregate',
    period,
    targetField,
    timeColumn: 'bucket_start',
  };
}

function interaction(stream: EventStream, source: EventSourceName, table: string): EventStreamSpec {
  return {
    stream,
    source,
    table,
    kind: 'interaction',
    period: 'day',
    targetField: 'guideId',
    timeColumn: 'browser_time',
  };
}

export const EVENT_STREAM_SPECS: Readonly<Record<EventStream, EventStreamSpec>> = {
  page_events: aggregate('page_events', 'pageEvents', 'pendo_page_events', 'day', 'pageId'),
  feature_events: aggregate(
    'feature_events',
    'featureEvents',
    'pendo_feature_events',
    'day',
    'featureId',
  ),
  track_events: aggregate(
    'track_events',
    'trackEvents',
    'pendo_track_events',
    'day',
    'trackTypeId',
  ),
  // Read by the hour, so activity by hour of day comes from Pendo's own buckets.
  events: aggregate('events', 'events', 'pendo_events', 'hour'),
  guide_events: interaction('guide_events', 'guideEvents', 'pendo_guide_events'),
  poll_events: interaction('poll_events', 'pollEvents', 'pendo_poll_events'),
};

export function isEventStream(name: string): name is EventStream {
  return (EVENT_STREAMS as readonly string[]).includes(name);
}
