import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, webhookInput } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

/** `{"a":{"a":...{}}}` with `levels` objects, written as text (JSON.stringify itself overflows on it). */
const nested = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
/** A valid `chat` event whose data.metadata is `metadata` (raw JSON text). */
const chatWithMetadata = (metadata: string) =>
  `{"type":"chat","data":{"id":"chat_1","created_at":"2026-01-01T00:00:00Z","channel":"web","customer":{"id":"cus_1"},"metadata":${metadata}}}`;

describe('nesting deeper than 32 levels', () => {
  it('POST /v1/events with data.metadata 5,000 levels deep answers 400 validation_failed, naming the limit and the path', async () => {
    const response = await server.api('POST', '/v1/events', chatWithMetadata(nested(5000)));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.message).toMatch(
      /deeper than 32 levels \(at data\.metadata\.a\.a\.[a.]+\); flatten it/,
    );
    expect(response.body.details).toEqual([
      { field: `data.metadata${'.a'.repeat(30)}`, message: expect.stringMatching(/deeper than 32 levels/) },
    ]);
    expect((await server.api('GET', '/healthz')).status).toBe(200);
  });

  it('accepts exactly 32 levels (body, data, metadata and 29 more) and refuses 33', async () => {
    const accepted = await server.api('POST', '/v1/events', chatWithMetadata(nested(30)));
    expect(accepted.status).toBe(202);
    const refused = await server.api('POST', '/v1/events', chatWithMetadata(nested(31)));
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('names array positions in the path', async () => {
    const response = await server.api(
      'POST',
      '/v1/events',
      chatWithMetadata(`{"list":[${'['.repeat(40)}${']'.repeat(40)}]}`),
    );
    expect(response.body.details[0].field).toBe(`data.metadata.list${'[0]'.repeat(29)}`);
  });

  it.each([
    ['POST', '/v1/webhooks'],
    ['POST', '/v1/deliveries/dlv_x/retry'],
  ])('%s %s refuses a deep body the same way', async (method, path) => {
    const response = await server.api(method, path, nested(5000));
    expect(response).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(response.body.message).toMatch(/deeper than 32 levels/);
  });

  it('PATCH /v1/webhooks/:id refuses a deep body the same way', async () => {
    const { body: webhook } = await server.api(
      'POST',
      '/v1/webhooks',
      webhookInput('https://hooks.example.com/a'),
    );
    const response = await server.api(
      'PATCH',
      `/v1/webhooks/${webhook.id}`,
      `{"name":"x","extra":${nested(100)}}`,
    );
    expect(response).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(response.body.message).toMatch(/deeper than 32 levels/);
  });
});

describe('long lists get a short answer', () => {
  it('an events list of 150,000 items is refused by its length, in one problem', async () => {
    const body = JSON.stringify(
      webhookInput('https://hooks.example.com/a', { events: new Array(150_000).fill(1) }),
    );
    const response = await server.api('POST', '/v1/webhooks', body);
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { field: 'events', message: expect.stringMatching(/at most the 7 event types, each once/) },
    ]);
  });

  it('a secret of 100,000 characters is refused by its length', async () => {
    const response = await server.api(
      'POST',
      '/v1/webhooks',
      webhookInput('https://hooks.example.com/a', { secret: 'x'.repeat(100_000) }),
    );
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { field: 'secret', message: expect.stringMatching(/100000 characters long; use at most 512/) },
    ]);
  });

  it('event data with 100,000 bad items lists the first 20 problems and says how many there were', async () => {
    const topics = new Array(100_000).fill(1).join(',');
    const response = await server.api(
      'POST',
      '/v1/events',
      `{"type":"insight.topic","data":{"id":"ins_1","chat_id":"chat_1","created_at":"2026-01-01T00:00:00Z","topics":[${topics}]}}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/first 20 of 100000 problems/);
    expect(response.body.details).toHaveLength(20);
    expect(JSON.stringify(response.body).length).toBeLessThan(5000);
  });
});

describe('paths the router cannot read', () => {
  it('bad percent-encoding answers 400 malformed_request in the API error shape', async () => {
    const response = await server.api('GET', '/v1/webhooks/%E0%A4%A');
    expect(response).toMatchObject({
      status: 400,
      body: { code: 'malformed_request', message: expect.stringMatching(/percent-encoding/) },
    });
  });

  it('a request that is not HTTP answers 400 malformed_request and the connection is closed', async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    socket.write('HELLO THERE\r\n\r\n');
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'malformed_request',
    });
  });

  it('headers over 16 KB answer 431 headers_too_large', async () => {
    const response = await fetch(`${server.url}/healthz`, { headers: { 'x-big': 'x'.repeat(20_000) } });
    expect(response.status).toBe(431);
    expect(await response.json()).toMatchObject({ code: 'headers_too_large' });
  });

  it('an id over 100 characters answers 400 malformed_request', async () => {
    const response = await server.api('GET', `/v1/webhooks/wh_${'x'.repeat(200)}`);
    expect(response).toMatchObject({ status: 400, body: { code: 'malformed_request' } });
  });
});
