import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceiver, type Receiver } from '@caleida/verify';

/** One request that reached the receiver, verified or not. */
export interface ReceivedCall {
  path: string;
  status: number;
  eventId: string | undefined;
  eventType: string | undefined;
}

/** A webhook endpoint on 127.0.0.1: each path verifies with its own secret and records every call. */
export interface TestReceiver {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every request in arrival order. */
  calls: ReceivedCall[];
  /** Makes `path` an endpoint that verifies with `secret`; `failWith` answers that status once verified. */
  endpoint(path: string, secret: string, options?: { failWith?: number }): string;
  /** Calls to one path. */
  callsTo(path: string): ReceivedCall[];
  close(): Promise<void>;
}

/** Starts a real receiver built with `createReceiver` from @caleida/verify on a Node HTTP server. */
export async function startReceiver(): Promise<TestReceiver> {
  const endpoints = new Map<string, { receiver: Receiver; failWith: number | undefined }>();
  const calls: ReceivedCall[] = [];

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    const endpoint = endpoints.get(path);
    const call: ReceivedCall = { path, status: 404, eventId: undefined, eventType: undefined };
    calls.push(call);
    if (!endpoint) {
      response.writeHead(404).end();
      return;
    }
    const admission = await endpoint.receiver.admit({
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request,
    });
    if (!admission.accepted) {
      call.status = admission.response.status;
      response.writeHead(call.status, admission.response.headers).end(admission.response.body);
      return;
    }
    call.eventId = admission.event.id;
    call.eventType = admission.event.type;
    await admission.settle(true);
    call.status = endpoint.failWith ?? 200;
    response.writeHead(call.status, { 'content-type': 'application/json' }).end('{"received":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    calls,
    endpoint(path, secret, { failWith } = {}) {
      // Replay protection off: a resent delivery is accepted again, so every copy is counted.
      endpoints.set(path, { receiver: createReceiver({ secret, replayStore: false }), failWith });
      return `${url}${path}`;
    },
    callsTo: (path) => calls.filter((call) => call.path === path),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
