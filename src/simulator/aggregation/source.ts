import type { CatalogEntity } from '../../types';
import type { Catalog } from '../data/catalog';
import { entityForSource } from '../data/entities';
import { SimulatorHttpError } from '../errors';

/**
 * Pendo sources the simulator does not serve yet; they are valid in the real API. People and
 * event sources are served by the activity module before this parser runs.
 */
const UNSUPPORTED_SOURCES = new Set([
  'pollsSeenEver',
  'pollsSeen',
  'guidesSeen',
  'guidesSeenEver',
  'singleEvents',
]);

/** The rows a pipeline starts from: one entity, restricted to some apps or to none. */
export interface SourceSpec {
  name: string;
  entity: CatalogEntity;
  /** App indexes to include, or 'all'. */
  apps: 'all' | number[];
}

const EXPAND_ALL = /^expandAppIds\(\s*(?:"\*"|`\*`)\s*\)$/;

function invalidAppId(value: unknown): SimulatorHttpError {
  return new SimulatorHttpError(422, `invalid appId in source: ${JSON.stringify(value)}`);
}

/** Converts one appId value (number or numeric string) to an app index; unknown apps give -1. */
function appIndexOf(catalog: Catalog, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return catalog.appIndexOf(value);
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) {
    return catalog.appIndexOf(Number(value.trim()));
  }
  throw invalidAppId(value);
}

/**
 * Resolves a source's `appId`: absent means the default app only, `expandAppIds("*")` (with
 * double quotes or backticks) every app, else one id or a list of ids as numbers or numeric
 * strings. Ids of apps that do not exist select nothing.
 */
export function resolveApps(catalog: Catalog, appId: unknown): 'all' | number[] {
  if (appId === undefined || appId === null) return [0];
  if (typeof appId === 'string' && EXPAND_ALL.test(appId.trim())) return 'all';
  const values = Array.isArray(appId) ? (appId as unknown[]) : [appId];
  return values.map((value) => appIndexOf(catalog, value)).filter((index) => index >= 0);
}

/** Validates the `source` stage, e.g. `{"guides": {"appId": 1}, "timeSeries": {…}}`. */
export function parseSource(catalog: Catalog, source: unknown): SourceSpec {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    throw new SimulatorHttpError(422, 'source must be an object such as {"guides": null}');
  }
  // A timeSeries is meaningless for catalog sources, so it is accepted and ignored.
  const names = Object.keys(source).filter((key) => key !== 'timeSeries');
  if (names.length !== 1) {
    throw new SimulatorHttpError(
      422,
      `source must name exactly one row source, got ${names.length}`,
    );
  }
  const name = names[0] ?? '';
  const entity = entityForSource(name);
  if (!entity) {
    if (UNSUPPORTED_SOURCES.has(name)) {
      throw new SimulatorHttpError(422, `source "${name}" is not supported by this simulator`);
    }
    throw new SimulatorHttpError(422, `unknown source "${name}"`);
  }
  const params: unknown = (source as Record<string, unknown>)[name];
  if (
    params !== null &&
    params !== undefined &&
    (typeof params !== 'object' || Array.isArray(params))
  ) {
    throw new SimulatorHttpError(422, `parameters of source "${name}" must be an object or null`);
  }
  const appId = params ? (params as Record<string, unknown>).appId : undefined;
  return { name, entity, apps: resolveApps(catalog, appId) };
}
