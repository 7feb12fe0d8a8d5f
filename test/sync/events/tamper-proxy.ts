import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PendoRecord } from '../../../src/types';

/** A proxy on 127.0.0.1 in front of a simulator that can rewrite aggregation results. */
export interface TamperProxy {
  url: string;
  /** Rewrites the rows of each aggregation response while set; receives the request body. */
  tamper: ((rows: PendoRecord[], requestBody: string) => PendoRecord[]) | undefined;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const FORWARDED_HEADERS = ['x-pendo-integration-key', 'content-type', 'accept'];

/** Starts a proxy that forwards every request to `targetUrl` and buffers each reply. */
export async function startTamperProxy(targetUrl: string): Promise<TamperProxy> {
  const proxy: TamperProxy = { url: '', tamper: undefined, close: () => Promise.resolve() };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_HEADERS) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const reply = await fetch(`${targetUrl}${request.url ?? '/'}`, {
        method: request.method,
        headers,
        body: request.method === 'POST' ? body : undefined,
      });
      let text = await reply.text();
      if (proxy.tamper && reply.ok && request.url?.startsWith('/api/v1/aggregation')) {
        const parsed = JSON.parse(text) as { results: PendoRecord[] };
        parsed.results = proxy.tamper(parsed.results, body);
        text = JSON.stringify(parsed);
      }
      response.writeHead(reply.status, {
        'content-type': reply.headers.get('content-type') ?? 'application/json',
        date: reply.headers.get('date') ?? new Date().toUTCString(),
      });
      response.end(text);
    })().catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxy.url = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  return proxy;
}
