import { DEFAULT_PENDO_TIME_ZONE, parseEventsSince, parseStreamList } from '../config/settings';
import type { EventsSince, Settings } from '../config/settings';
import { parseEntities } from '../config/settings';
import { ConfigError } from '../errors';
import type { EventStream } from '../events/streams';
import type { EventSyncOptions } from '../sync/context';
import { localMidnight } from '../sync/events/local-days';
import type { Entity } from '../types';

/** Entities and event streams that one `sync` run reads. */
export interface SyncTargets {
  entities: Entity[];
  streams: EventStream[];
}

/** Parses `--entities`: a comma-separated list, `all` or `none`; an empty value is an error. */
export function parseEntitiesFlag(value: string): Entity[] {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === '') {
    throw new ConfigError(
      'Invalid --entities "": list the entities to sync (such as guides,pages), or use "all" or "none". Leave the flag out to sync every entity.',
    );
  }
  if (trimmed === 'none') return [];
  if (trimmed === 'all' || trimmed === '*') return parseEntities(undefined);
  return parseEntities(value);
}

/**
 * Applies `--entities` and `--streams`: each flag restricts its own kind, and giving only one
 * of them syncs nothing of the other kind. Without either, a run syncs every entity and the
 * streams of SYNC_STREAMS.
 */
export function selectSyncTargets(
  flags: { entities?: string; streams?: string },
  settings: Pick<Settings, 'eventStreams'>,
): SyncTargets {
  if (flags.entities === undefined && flags.streams === undefined) {
    return { entities: parseEntities(undefined), streams: settings.eventStreams };
  }
  return {
    entities: flags.entities === undefined ? [] : parseEntitiesFlag(flags.entities),
    streams: flags.streams === undefined ? [] : parseStreamList(flags.streams, '--streams'),
  };
}

/**
 * Picks the backfill start: `--since` over SYNC_EVENTS_SINCE. Undefined leaves the engine's
 * default, 30 days before Pendo's current time. Rejects `--since` on a run that syncs no
 * stream, where it would be silently ignored.
 */
export function selectEventsSince(
  flag: string | undefined,
  settings: Pick<Settings, 'eventsSince'>,
  streams: readonly EventStream[],
): EventsSince | undefined {
  if (flag === undefined) return settings.eventsSince;
  const since = parseEventsSince(flag, '--since');
  if (streams.length === 0) {
    throw new ConfigError(
      '--since sets where event streams start, but this run syncs no stream (--entities without --streams, or SYNC_STREAMS=none). Add --streams with the streams to sync.',
    );
  }
  return since;
}

/**
 * Converts a backfill start to the engine's options: a date becomes midnight in `timeZone`, and
 * a duration stays relative, so the engine counts it back from Pendo's clock.
 */
export function resolveEventsSince(
  since: EventsSince | undefined,
  timeZone: string,
): Pick<EventSyncOptions, 'since' | 'sinceBeforeNowMs'> {
  switch (since?.kind) {
    case undefined:
      return {};
    case 'date':
      return { since: localMidnight(timeZone, since.year, since.month, since.day) };
    case 'instant':
      return { since: since.ms };
    case 'before-now':
      return { sinceBeforeNowMs: since.ms };
  }
}

/** Returns the time zone of the subscription: PENDO_TIME_ZONE, the simulator's or UTC. */
export function selectTimeZone(
  settings: Pick<Settings, 'pendoTimeZone'>,
  sourceTimeZone: string | undefined,
): string {
  return settings.pendoTimeZone ?? sourceTimeZone ?? DEFAULT_PENDO_TIME_ZONE;
}

/** Builds the event options of a run from the settings, the targets and `--since`. */
export function buildEventOptions(input: {
  settings: Settings;
  streams: EventStream[];
  since: EventsSince | undefined;
  sourceTimeZone: string | undefined;
}): EventSyncOptions {
  const { settings, streams } = input;
  const timeZone = selectTimeZone(settings, input.sourceTimeZone);
  return {
    streams,
    ...resolveEventsSince(input.since, timeZone),
    lagMs: settings.eventLagMs,
    lookbackMs: settings.eventLookbackMs,
    timeZone,
    retentionDays: settings.eventRetentionDays,
  };
}
