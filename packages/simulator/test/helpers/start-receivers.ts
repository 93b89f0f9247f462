import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { caleidaWebhook } from '@caleida/express-middleware';
import { createReceiver, type ReceivedEvent } from '@caleida/verify';
import express from 'express';

/** A receiver listening on 127.0.0.1 for one test. */
export interface TestReceiver {
  url: string;
  /** Events its handlers ran for, in order. */
  events: ReceivedEvent[];
  close(): Promise<void>;
}

async function listen(server: http.Server, events: ReceivedEvent[]): Promise<TestReceiver> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/caleida`,
    events,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A correct receiver: Node's http server around `createReceiver().handle`. */
export function startCoreReceiver(secret: string): Promise<TestReceiver> {
  const events: ReceivedEvent[] = [];
  const receiver = createReceiver({ secret, logger: { error: () => {} } }).onAny((event) => {
    events.push(event);
  });
  const server = http.createServer(async (request, response) => {
    const answer = await receiver.handle({
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request,
    });
    response.writeHead(answer.status, answer.headers).end(answer.body);
  });
  return listen(server, events);
}

/** A deliberately broken receiver: it reads the body and answers 200 to everything, checking nothing. */
export function startBrokenReceiver(): Promise<TestReceiver> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    );
  });
  return listen(server, []);
}

/**
 * A receiver that verifies everything but answers its own status codes: 403 for any refusal and
 * 200 (without a duplicate marker) for copies, as many hand-written endpoints do.
 */
export function startTerseReceiver(secret: string): Promise<TestReceiver> {
  const events: ReceivedEvent[] = [];
  const receiver = createReceiver({ secret, logger: { error: () => {} } });
  const server = http.createServer(async (request, response) => {
    const admission = await receiver.admit({
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request,
    });
    if (admission.accepted) {
      events.push(admission.event);
      await admission.settle(true);
    }
    const status = admission.accepted || admission.response.status < 300 ? 200 : 403;
    response.writeHead(status).end();
  });
  return listen(server, events);
}

/** A correct receiver as a customer writes it: Express with `caleidaWebhook()` on the route. */
export function startExpressReceiver(secret: string): Promise<TestReceiver> {
  const events: ReceivedEvent[] = [];
  const app = express();
  app.post(
    '/webhooks/caleida',
    caleidaWebhook({ secret, logger: { error: () => {} } }),
    (request, response) => {
      events.push(request.webhook);
      response.sendStatus(204);
    },
  );
  // Every other method on the route reaches the middleware too, so it can answer 405.
  app.all('/webhooks/caleida', caleidaWebhook({ secret, logger: { error: () => {} } }));
  return listen(http.createServer(app), events);
}
