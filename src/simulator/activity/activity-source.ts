import { resolveApps } from '../aggregation/source';
import type { Catalog } from '../data/catalog';
import { SimulatorHttpError } from '../errors';
import type { EventSource } from './events/streams';
import { STREAMS, isEventSource } from './events/streams';
import type { PersonEntity } from './people/person-kinds';
import type { TimeSeries } from './time-series';
import { parseTimeSeries } from './time-series';

/** A validated `visitors` or `accounts` source. */
export interface PersonSource {
  kind: 'person';
  name: string;
  entity: PersonEntity;
  /** `{"identified": true}` keeps identified visitors only, false anonymous ones only. */
  identified: boolean | undefined;
}

/** A validated event source with its time window. */
export interface EventSourceSpec {
  kind: 'event';
  name: EventSource;
  /** App indexes whose events are read. */
  appIndexes: number[];
  /** Keeps only rows whose target field (`pageId`, …) equals this id. */
  narrow: { field: string; id: string } | undefined;
  series: TimeSeries;
}

export type ActivitySource = PersonSource | EventSourceSpec;

/** Returns the source name of a source stage when it is served by this module, else undefined. */
export function activitySourceName(source: unknown): string | undefined {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return undefined;
  const names = Object.keys(source).filter((key) => key !== 'timeSeries');
  const name = names.length === 1 ? names[0] : undefined;
  if (name === 'visitors' || name === 'accounts' || (name && isEventSource(name))) return name;
  return undefined;
}

function paramsOf(source: Record<string, unknown>, name: string): Record<string, unknown> {
  const params = source[name];
  if (params === null || params === undefined) return {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new SimulatorHttpError(422, `parameters of source "${name}" must be an object or null`);
  }
  return params as Record<string, unknown>;
}

function narrowOf(name: EventSource, params: Record<string, unknown>): EventSourceSpec['narrow'] {
  const param = STREAMS[name].narrowParam;
  const value = param ? params[param] : undefined;
  if (!param || value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new SimulatorHttpError(422, `${param} of source "${name}" must be a string id`);
  }
  return { field: param, id: value };
}

/**
 * Validates a people or event source stage. Event sources need a `timeSeries`, next to the
 * source name or inside its parameters; people sources ignore one, as Pendo does.
 */
export function parseActivitySource(
  catalog: Catalog,
  stage: Record<string, unknown>,
  name: string,
  context: { now: number; timeZone: string },
): ActivitySource {
  const params = paramsOf(stage, name);
  if (name === 'visitors' || name === 'accounts') {
    const identified = name === 'visitors' ? params.identified : undefined;
    if (identified !== undefined && typeof identified !== 'boolean') {
      throw new SimulatorHttpError(422, 'identified of source "visitors" must be true or false');
    }
    return { kind: 'person', name, entity: name, identified };
  }
  if (!isEventSource(name)) throw new SimulatorHttpError(422, `unknown source "${name}"`);
  const spec = stage.timeSeries ?? params.timeSeries;
  if (spec === undefined) {
    throw new SimulatorHttpError(422, `source "${name}" needs a timeSeries`);
  }
  const apps = resolveApps(catalog, params.appId);
  return {
    kind: 'event',
    name,
    appIndexes: apps === 'all' ? catalog.context.apps.map((_, index) => index) : [...new Set(apps)],
    narrow: narrowOf(name, params),
    series: parseTimeSeries(spec, context.now, context.timeZone),
  };
}
