import type { ApiRequest } from '../http/api-routes';
import { sendJson, sendText } from '../http/respond';
import type { PersonEntity } from './people/person-kinds';

/** Decodes standard or URL-safe base64, or returns undefined when `text` is not base64. */
function fromBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64').toString('utf8');
}

/**
 * Serves `GET /api/v1/visitor/{id}` and `/account/{id}`: the record as the aggregation
 * source returns it, or 404. The id is read as sent (URL-decoded); when no person has it,
 * it is read again as base64, a form some clients use.
 */
export function servePerson(api: ApiRequest, entity: PersonEntity, id: string): void {
  const people = api.state.activity.people;
  const store = people.stores[entity];
  let slot = store.findSlot(id);
  if (slot < 0) {
    const decoded = fromBase64(id);
    if (decoded !== undefined) slot = store.findSlot(decoded);
  }
  if (slot < 0) {
    sendText(api.response, 404, `${entity === 'visitors' ? 'visitor' : 'account'} ${id} not found`);
    return;
  }
  api.entry.rows = 1;
  sendJson(api.response, 200, people.generate(entity, slot));
}
