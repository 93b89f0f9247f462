import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceiver } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { HttpAdapterHost } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { expect, it } from 'vitest';
import { installRawBodyHook } from '../src/install-raw-body-hook.js';
import { WebhookRoute } from '../src/webhook-route.js';
import { writeNodeResponse } from '../src/write-response.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

it('installRawBodyHook() hooks an HTTP adapter set after the providers, as Test.createTestingModule().createNestApplication() does', async () => {
  const adapterHost = new HttpAdapterHost();
  const route = new WebhookRoute(
    createReceiver({ secret: SECRET, logger: { error() {} } }),
    '/webhooks/caleida',
    {},
  );
  installRawBodyHook(adapterHost, route);
  const adapter = new ExpressAdapter();
  adapterHost.httpAdapter = adapter;
  // What app.init() then does: Nest's JSON parser, then the route.
  adapter.registerParserMiddleware();
  adapter.all('/webhooks/caleida', (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
    route
      .answer(req, () => ({
        method: req.method ?? '',
        headers: req.headers,
        body: req,
        parsedBody: req.body,
      }))
      .then((answer) => writeNodeResponse(res, answer));
  });
  const server = createServer(adapter.getInstance());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const request = signedRequest({ secret: SECRET, event: buildEvent('chat') });
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/caleida`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { received: true, id: request.id, type: 'chat' },
    });
  } finally {
    server.close();
  }
});
