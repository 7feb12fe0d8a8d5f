import type { ServerResponse } from 'node:http';

/** Sends a complete plain-text reply. */
export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  response.end(text);
}

/** Sends a complete JSON reply; for small bodies only, since it is built in memory. */
export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(value));
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Go's default text for unknown paths, which Pendo's servers send. */
export const NOT_FOUND_TEXT = '404 page not found';
