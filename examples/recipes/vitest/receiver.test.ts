import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { caleidaWebhook } from '@caleida/express-middleware';
import { generateSecret, type ReceivedEvent } from '@caleida/verify';
import express from 'express';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

const mockUrl = inject('caleidaMockUrl');
const apiKey = inject('caleidaMockApiKey');

/** Calls the mock server's API with the key the global setup handed over. */
async function mockApi(method: string, path: string, body?: unknown) {
  const response = await fetch(`${mockUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

// The receiver under test: your app, on a free port of 127.0.0.1.
const secret = generateSecret();
const received = new EventTarget();
const app = express();
app.post('/webhooks/caleida', caleidaWebhook({ secret }), (req, res) => {
  received.dispatchEvent(new CustomEvent<ReceivedEvent>('event', { detail: req.webhook }));
  res.sendStatus(204);
});
let server: Server;
let webhookId: string | undefined;

beforeAll(async () => {
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/webhooks/caleida`;
  ({ id: webhookId } = await mockApi('POST', '/v1/webhooks', {
    name: 'app',
    url,
    secret,
    events: ['message'],
  }));
});

afterAll(async () => {
  server.close();
  if (webhookId) await mockApi('DELETE', `/v1/webhooks/${webhookId}`);
});

it('receives a signed message event from the mock server', async () => {
  const delivered = once(received, 'event');
  const { event } = await mockApi('POST', '/v1/events', { type: 'message' });
  const [{ detail }] = (await delivered) as [CustomEvent<ReceivedEvent>];
  expect(detail).toMatchObject({ id: event.id, type: 'message' });
});
