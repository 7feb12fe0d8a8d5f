import type { IncomingMessage, ServerResponse } from 'node:http';
import { runPipeline } from '../aggregation/run';
import { parsePipeline } from '../aggregation/pipeline-parse';
import type { Row } from '../aggregation/row';
import { toRecord } from '../aggregation/row';
import { entityForApiPath } from '../data/entities';
import { metadataSchema } from '../data/metadata-schema';
import { segmentCreatedByApi } from '../data/segments';
import { SimulatorHttpError } from '../errors';
import type { SimulatorState } from '../state';
import type { CatalogEntity } from '../../types';
import { servePerson } from '../activity/person-route';
import type { PersonEntity } from '../activity/people/person-kinds';
import type { FaultSpec } from './faults';
import { GARBAGE_TEXT } from './faults';
import { writeJsonArray } from './json-array';
import type { JsonArrayOptions } from './json-array';
import type { RequestLogEntry } from './request-log';
import { readJsonBody } from './request-body';
import { JSON_CONTENT_TYPE, sendJson, sendText } from './respond';
import { ResponseStream } from './response-stream';

/** A request under `/api/v1` that passed authentication. */
export interface ApiRequest {
  state: SimulatorState;
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  entry: RequestLogEntry;
  fault: FaultSpec | undefined;
}

export type ApiRoute =
  | { kind: 'list'; entity: CatalogEntity }
  | { kind: 'record'; entity: CatalogEntity; id: string }
  | { kind: 'schema'; schema: 'visitor' | 'account' }
  | { kind: 'person'; entity: PersonEntity; id: string }
  | { kind: 'aggregation' };

const SCHEMA_NAMES: Record<string, 'visitor' | 'account'> = {
  visitor: 'visitor',
  account: 'account',
  VisitorMetadata: 'visitor',
  AccountMetadata: 'account',
};

/** Single-record paths of visitors and accounts, as in `/api/v1/visitor/{id}`. */
const PERSON_PATHS: Record<string, PersonEntity | undefined> = {
  visitor: 'visitors',
  account: 'accounts',
};

/** Maps a path such as `/api/v1/guide/abc` to a route, or undefined for unknown paths. */
export function matchApiRoute(pathname: string): ApiRoute | undefined {
  const match = /^\/api\/v1\/(.+?)\/?$/.exec(pathname);
  const parts = match?.[1]?.split('/') ?? [];
  const [first = '', second, third] = parts;
  if (parts.length === 1 && first === 'aggregation') return { kind: 'aggregation' };
  const entity = entityForApiPath(first);
  if (entity && parts.length === 1) return { kind: 'list', entity };
  if (entity && parts.length === 2 && second)
    return { kind: 'record', entity, id: decodeURIComponent(second) };
  const person = PERSON_PATHS[first];
  if (person && parts.length === 2 && second)
    return { kind: 'person', entity: person, id: decodeURIComponent(second) };
  const schema = SCHEMA_NAMES[third ?? ''];
  if (first === 'metadata' && second === 'schema' && parts.length === 3 && schema)
    return { kind: 'schema', schema };
  return undefined;
}

/** The HTTP method each route accepts. */
export function routeMethod(route: ApiRoute): string {
  return route.kind === 'aggregation' ? 'POST' : 'GET';
}

function openStream(api: ApiRequest): ResponseStream {
  return new ResponseStream(api.request, api.response, {
    status: 200,
    contentType: JSON_CONTENT_TYPE,
    resetAfterBytes: api.fault?.resetAfterBytes,
    truncateAfterBytes: api.fault?.truncateAfterBytes,
    corruptGzipAfterBytes: api.fault?.corruptGzipAfterBytes,
    slowBodyMs: api.fault?.slowBodyMs,
    onProgress: (bytes) => {
      api.entry.bytes = bytes;
    },
  });
}

/** Returns how the fault, if any, changes the records array. */
function arrayOptions(api: ApiRequest): JsonArrayOptions {
  return {
    duplicates: api.fault?.duplicateRecords,
    garbage: api.fault?.invalidJson === 'garbage' ? GARBAGE_TEXT : undefined,
    entry: api.entry,
  };
}

/** Yields the JSON of the list endpoint's records: default app or all, optionally by ids. */
function* listItems(api: ApiRequest, entity: CatalogEntity): Generator<string> {
  const { state, url } = api;
  const store = state.catalog.stores[entity];
  const idParam = url.searchParams.get('id');
  const ids =
    idParam === null
      ? undefined
      : new Set(
          idParam
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean),
        );
  const allApps = url.searchParams.get('expand') === '*' || ids !== undefined;
  const createdByApi = entity === 'segments' ? url.searchParams.get('createdByApi') : null;
  const size = store.size;
  for (let slot = 0; slot < size; slot++) {
    if (!state.isSelected(entity, slot, { allApps })) continue;
    if (ids && !ids.has(store.ids[slot] ?? '')) continue;
    if (
      createdByApi !== null &&
      segmentCreatedByApi(state.catalog.context, slot) !== (createdByApi === 'true')
    )
      continue;
    yield state.catalog.overrides.jsonOf(state.catalog.generate(entity, slot));
  }
}

async function serveList(api: ApiRequest, entity: CatalogEntity): Promise<void> {
  const stream = openStream(api);
  await writeJsonArray(stream, listItems(api, entity), arrayOptions(api));
  await stream.end();
}

function serveRecord(api: ApiRequest, entity: CatalogEntity, id: string): void {
  const slot = api.state.catalog.stores[entity].findSlot(id);
  if (slot < 0) {
    sendText(api.response, 404, `${entity.replace(/s$/, '').replace('_', ' ')} ${id} not found`);
    return;
  }
  api.entry.rows = 1;
  sendJson(api.response, 200, api.state.catalog.generate(entity, slot));
}

/** Validates a pipeline and returns its rows, from the catalog or from people and events. */
function planRows(api: ApiRequest, pipeline: unknown, now: number): Iterable<Row> {
  const plan = api.state.activity.planAggregation(pipeline, { now });
  if (plan) {
    api.entry.pipeline = { source: plan.source, operators: plan.operators };
    return plan.rows;
  }
  const parsed = parsePipeline(api.state.catalog, pipeline);
  api.entry.pipeline = {
    source: parsed.source.name,
    operators: parsed.stages.map((stage) => stage.operator),
  };
  return runPipeline(api.state.catalog, api.state.orders, parsed, { now });
}

/** Serves `POST /api/v1/aggregation`: validates the whole pipeline, then streams the rows. */
async function serveAggregation(api: ApiRequest): Promise<void> {
  const body = await readJsonBody(api.request);
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as {
    request?: { pipeline?: unknown };
  };
  if (typeof envelope.request !== 'object' || envelope.request === null) {
    throw new SimulatorHttpError(
      422,
      'request body must contain a "request" object with a "pipeline"',
    );
  }
  const now = api.state.clock.now();
  const rows = planRows(api, envelope.request.pipeline, now);
  const overrides = api.state.catalog.overrides;
  const items = (function* () {
    for (const row of rows) yield overrides.jsonOf(toRecord(row));
  })();
  const stream = openStream(api);
  await stream.write(`{"startTime":${now},"results":`);
  await writeJsonArray(stream, items, arrayOptions(api));
  await stream.write('}');
  await stream.end();
}

export async function serveApiRoute(api: ApiRequest, route: ApiRoute): Promise<void> {
  switch (route.kind) {
    case 'list':
      return serveList(api, route.entity);
    case 'record':
      return serveRecord(api, route.entity, route.id);
    case 'schema':
      return sendJson(api.response, 200, metadataSchema(api.state.catalog.context, route.schema));
    case 'aggregation':
      return serveAggregation(api);
    case 'person':
      return servePerson(api, route.entity, route.id);
  }
}
