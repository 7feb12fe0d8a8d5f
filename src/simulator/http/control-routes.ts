import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimulatorHttpError } from '../errors';
import type { SimulatorState } from '../state';
import type { BucketTotals, EventQuery } from '../activity/event-totals';
import { EVENT_SOURCES, isEventSource } from '../activity/events/streams';
import { resolvePersonEntity } from '../activity/people/person-kinds';
import { requireEntity } from '../state';
import type { FaultSpec } from './faults';
import type { RandomFaultOptions } from './random-faults';
import { writeJsonArray } from './json-array';
import type { RequestLogEntry } from './request-log';
import { readJsonBody } from './request-body';
import { JSON_CONTENT_TYPE, NOT_FOUND_TEXT, sendJson, sendText } from './respond';
import { ResponseStream } from './response-stream';

function asObject(body: unknown, description: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SimulatorHttpError(400, `${description} must be a JSON object`);
  }
  return body as Record<string, unknown>;
}

async function streamTruth(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  name: string,
  allApps: boolean,
  entry: RequestLogEntry,
): Promise<void> {
  if (!resolvePersonEntity(name)) requireEntity(name);
  const items = (function* () {
    for (const record of state.records(name, { allApps })) yield JSON.stringify(record);
  })();
  const stream = new ResponseStream(request, response, {
    status: 200,
    contentType: JSON_CONTENT_TYPE,
  });
  await writeJsonArray(stream, items, { entry });
  await stream.end();
}

/** Validates an event query from a control request and returns its per-bucket totals. */
function eventTotals(state: SimulatorState, body: unknown): BucketTotals[] {
  const query = asObject(body, 'event query');
  if (typeof query.source !== 'string' || !isEventSource(query.source))
    throw new SimulatorHttpError(400, `source must be one of ${EVENT_SOURCES.join(', ')}`);
  if (query.period !== 'day' && query.period !== 'hour')
    throw new SimulatorHttpError(400, 'period must be "day" or "hour"');
  if (typeof query.from !== 'number' || typeof query.to !== 'number')
    throw new SimulatorHttpError(400, 'from and to must be epoch milliseconds');
  const appIds = query.appIds;
  if (appIds !== undefined && !(Array.isArray(appIds) && appIds.every(Number.isInteger)))
    throw new SimulatorHttpError(400, 'appIds must be a list of app ids');
  try {
    return state.activity.eventTotals(query as unknown as EventQuery);
  } catch (error) {
    if (error instanceof RangeError) throw new SimulatorHttpError(400, error.message);
    throw error;
  }
}

function injectFault(state: SimulatorState, body: unknown): number {
  try {
    state.faults.inject(asObject(body, 'fault') as unknown as FaultSpec);
  } catch (error) {
    if (error instanceof TypeError) throw new SimulatorHttpError(400, error.message);
    throw error;
  }
  return state.faults.pending();
}

function injectRandomFaults(state: SimulatorState, body: unknown): void {
  try {
    state.faults.injectRandom(asObject(body, 'random faults') as unknown as RandomFaultOptions);
  } catch (error) {
    if (error instanceof TypeError) throw new SimulatorHttpError(400, error.message);
    throw error;
  }
}

/**
 * Serves the control endpoints under `/_simulator/` (no key needed): `GET counts`,
 * `GET truth/{entity}?allApps=true`, `POST mutate`, `POST faults`, `POST faults/random` (the
 * seeded random mode, with RandomFaultOptions), `DELETE faults` (both kinds),
 * `GET requests`, `GET clock`, `POST clock` with `{"advanceMs": n}` and `POST event-totals`
 * with an event query (`{"source", "period", "from", "to", "appIds"}`).
 */
export async function serveControl(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  entry: RequestLogEntry,
): Promise<void> {
  const route = `${request.method ?? 'GET'} ${url.pathname.replace(/^\/_simulator/, '').replace(/\/$/, '')}`;
  const truth = /^GET \/truth\/([^/]+)$/.exec(route);
  if (truth?.[1]) {
    const allApps = url.searchParams.get('allApps') === 'true';
    return streamTruth(state, request, response, decodeURIComponent(truth[1]), allApps, entry);
  }
  switch (route) {
    case 'GET /counts':
      return sendJson(response, 200, state.counts());
    case 'POST /mutate':
      return sendJson(
        response,
        200,
        state.mutate(asObject(await readJsonBody(request), 'mutation')),
      );
    case 'POST /faults':
      return sendJson(response, 200, { pending: injectFault(state, await readJsonBody(request)) });
    case 'POST /faults/random':
      injectRandomFaults(state, await readJsonBody(request));
      return sendJson(response, 200, { random: true });
    case 'DELETE /faults':
      state.faults.clear();
      return sendJson(response, 200, { pending: 0 });
    case 'GET /requests':
      return sendJson(response, 200, state.requestLog);
    case 'POST /event-totals':
      return sendJson(response, 200, eventTotals(state, await readJsonBody(request)));
    case 'GET /clock':
      return sendJson(response, 200, { now: state.clock.now() });
    case 'POST /clock': {
      const { advanceMs } = asObject(await readJsonBody(request), 'clock request');
      if (typeof advanceMs !== 'number' || advanceMs < 0)
        throw new SimulatorHttpError(400, 'advanceMs must be a non-negative number');
      return sendJson(response, 200, { now: state.clock.advance(advanceMs) });
    }
    default:
      return sendText(response, 404, NOT_FOUND_TEXT);
  }
}
