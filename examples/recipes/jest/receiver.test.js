import { once } from 'node:events';
import { createServer } from 'node:http';
import { caleidaWebhook } from '@caleida/express-middleware';
import { generateSecret } from '@caleida/verify';
import express from 'express';

const { CALEIDA_MOCK_URL: mockUrl, CALEIDA_MOCK_API_KEY: apiKey } = process.env;

/** Calls the mock server's API with the key the global setup handed over. */
async function mockApi(method, path, body) {
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
  received.dispatchEvent(new CustomEvent('event', { detail: req.webhook }));
  res.sendStatus(204);
});
let server;
let webhookId;

beforeAll(async () => {
  server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${server.address().port}/webhooks/caleida`;
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

test('receives a signed message event from the mock server', async () => {
  const delivered = once(received, 'event');
  const { event } = await mockApi('POST', '/v1/events', { type: 'message' });
  const [{ detail }] = await delivered;
  expect(detail).toMatchObject({ id: event.id, type: 'message' });
});
