import type { EventStream, EventStreamSpec } from '../../events/streams';
import { EVENT_STREAM_SPECS } from '../../events/streams';

/**
 * The typed columns of each event table as SQL expressions over a staged row `s.raw`, the
 * row's JSON as Pendo sent it. Extracting in SQL keeps the rows out of JavaScript objects
 * between the response and the table. Every name and expression here is fixed text.
 */

/** One column of an event table and the expression that fills it from `s.raw`. */
export interface EventColumn {
  name: string;
  sql: string;
}

function text(field: string): string {
  return `s.raw->>'${field}'`;
}

/** Text, with an empty string stored as null. */
function optionalText(field: string): string {
  return `nullif(s.raw->>'${field}', '')`;
}

/** Reads a JSON number as bigint, or null when the field is absent or not a number. */
function integer(field: string): string {
  return `case when jsonb_typeof(s.raw->'${field}') = 'number' then round((s.raw->>'${field}')::numeric)::bigint end`;
}

function float(field: string): string {
  return `case when jsonb_typeof(s.raw->'${field}') = 'number' then (s.raw->>'${field}')::double precision end`;
}

/** Epoch milliseconds as timestamptz, exact to the millisecond; null when not a number. */
export function epochMs(field: string): string {
  return `case when jsonb_typeof(s.raw->'${field}') = 'number' then 'epoch'::timestamptz + (s.raw->>'${field}')::numeric * interval '1 millisecond' end`;
}

/** Reads a JSON object or array, or null when the field is absent or JSON null. */
function json(field: string): string {
  return `nullif(s.raw->'${field}', 'null'::jsonb)`;
}

const PERSON_COLUMNS: EventColumn[] = [
  { name: 'app_id', sql: integer('appId') },
  { name: 'visitor_id', sql: text('visitorId') },
  { name: 'account_id', sql: optionalText('accountId') },
];

function aggregateColumns(spec: EventStreamSpec): EventColumn[] {
  const columns: EventColumn[] = [
    ...PERSON_COLUMNS,
    { name: 'period', sql: `case when s.raw ? 'hour' then 'hour' else 'day' end` },
    { name: 'bucket_start', sql: `coalesce(${epochMs('hour')}, ${epochMs('day')})` },
    { name: 'num_events', sql: integer('numEvents') },
    { name: 'num_minutes', sql: integer('numMinutes') },
    { name: 'first_time', sql: epochMs('firstTime') },
    { name: 'last_time', sql: epochMs('lastTime') },
    { name: 'server', sql: text('server') },
    { name: 'remote_ip', sql: text('remoteIp') },
    { name: 'user_agent', sql: text('userAgent') },
    { name: 'parameters', sql: json('parameters') },
  ];
  if (spec.targetField === 'pageId') {
    columns.push(
      { name: 'page_id', sql: text('pageId') },
      { name: 'rage_click_count', sql: integer('rageClickCount') },
      { name: 'dead_click_count', sql: integer('deadClickCount') },
      { name: 'error_click_count', sql: integer('errorClickCount') },
      { name: 'u_turn_count', sql: integer('uTurnCount') },
    );
  }
  if (spec.targetField === 'featureId')
    columns.push({ name: 'feature_id', sql: text('featureId') });
  if (spec.targetField === 'trackTypeId') {
    columns.push(
      { name: 'track_type_id', sql: text('trackTypeId') },
      { name: 'properties', sql: json('properties') },
    );
  }
  return columns;
}

const INTERACTION_COLUMNS: EventColumn[] = [
  ...PERSON_COLUMNS,
  { name: 'browser_time', sql: epochMs('browserTime') },
  { name: 'guide_id', sql: text('guideId') },
  { name: 'guide_step_id', sql: optionalText('guideStepId') },
  { name: 'type', sql: text('type') },
  { name: 'guide_timestamp', sql: epochMs('guideTimestamp') },
  { name: 'url', sql: text('url') },
  { name: 'country', sql: text('country') },
  { name: 'region', sql: text('region') },
  { name: 'remote_ip', sql: text('remoteIp') },
  { name: 'server_name', sql: text('serverName') },
  { name: 'user_agent', sql: text('userAgent') },
];

function interactionColumns(spec: EventStreamSpec): EventColumn[] {
  if (spec.stream === 'poll_events') {
    return [
      ...INTERACTION_COLUMNS,
      { name: 'poll_id', sql: text('pollId') },
      { name: 'poll_response', sql: text('pollResponse') },
    ];
  }
  return [
    ...INTERACTION_COLUMNS,
    { name: 'element_path', sql: text('elementPath') },
    { name: 'load_time', sql: integer('loadTime') },
    { name: 'latitude', sql: float('latitude') },
    { name: 'longitude', sql: float('longitude') },
  ];
}

/** Returns the typed columns of a stream's table, without row_hash, raw and synced_at. */
export function eventColumns(stream: EventStream): EventColumn[] {
  const spec = EVENT_STREAM_SPECS[stream];
  return spec.kind === 'aggregate' ? aggregateColumns(spec) : interactionColumns(spec);
}
