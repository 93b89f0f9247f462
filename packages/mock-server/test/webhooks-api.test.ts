import { generateSecret } from '@caleida/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver, startTestServer, type TestServer, webhookInput } from './helpers.js';

let server: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  await receiver.close();
});

const refusedFields = (body: { details?: { field: string }[] }) =>
  body.details?.map((detail) => detail.field);

describe('authorization', () => {
  it('every /v1 route answers 401 unauthorized without a Bearer key', async () => {
    for (const [method, path] of [
      ['GET', '/v1/webhooks'],
      ['POST', '/v1/events'],
      ['GET', '/v1/deliveries'],
      ['GET', '/v1/webhooks/wh_x/secret'],
    ] as const) {
      const response = await server.api(method, path, undefined, { key: null });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('unauthorized');
    }
  });

  it('a wrong key is refused with 401', async () => {
    const response = await server.api('GET', '/v1/webhooks', undefined, { key: 'not-the-key-at-all' });
    expect(response).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  });

  it('GET /healthz and GET /openapi.json need no key', async () => {
    expect(await server.api('GET', '/healthz', undefined, { key: null })).toEqual({
      status: 200,
      body: { ok: true },
    });
    const openapi = await server.api('GET', '/openapi.json', undefined, { key: null });
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/webhooks',
        '/v1/webhooks/{id}',
        '/v1/webhooks/{id}/secret',
        '/v1/webhooks/{id}/test',
        '/v1/events',
        '/v1/events/{id}',
        '/v1/deliveries',
        '/v1/deliveries/{id}',
        '/v1/deliveries/{id}/retry',
      ]),
    );
  });
});

describe('POST /v1/webhooks', () => {
  it('creates a webhook and shows the secret only as a masked hint', async () => {
    const secret = generateSecret();
    const response = await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { secret }));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^wh_/),
      url: receiver.url,
      events: ['chat', 'message'],
      status: 'active',
      disabled_reason: null,
      secret_hint: `whsec_${secret.slice(6, 8)}…${secret.slice(-2)}`,
    });
    expect(JSON.stringify(response.body)).not.toContain(secret);
    const list = await server.api('GET', '/v1/webhooks');
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.data.map((w: { id: string }) => w.id)).toContain(response.body.id);
  });

  it('GET /v1/webhooks/:id/secret reveals the secret on purpose', async () => {
    const secret = generateSecret();
    const { body } = await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { secret }));
    expect(await server.api('GET', `/v1/webhooks/${body.id}/secret`)).toEqual({
      status: 200,
      body: { secret },
    });
  });

  it('refuses a name already taken with 409 name_taken', async () => {
    const first = webhookInput(receiver.url);
    await server.api('POST', '/v1/webhooks', first);
    const response = await server.api(
      'POST',
      '/v1/webhooks',
      webhookInput(receiver.url, { name: first.name }),
    );
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('name_taken');
    expect(refusedFields(response.body)).toEqual(['name']);
  });

  it.each([
    ['an empty name', { name: '  ' }, 'name'],
    ['a name of 101 characters', { name: 'x'.repeat(101) }, 'name'],
    ['a relative URL', { url: '/webhooks' }, 'url'],
    ['an ftp URL', { url: 'ftp://example.com/hook' }, 'url'],
    ['http on a public host', { url: 'http://example.com/hook' }, 'url'],
    ['a secret of 10 characters', { secret: 'short-pass' }, 'secret'],
    ['a whsec_ secret that is not base64', { secret: 'whsec_not*base64*at*all*!!' }, 'secret'],
    ['a whsec_ secret of 8 bytes', { secret: 'whsec_AAAAAAAAAAA=' }, 'secret'],
    ['no events', { events: [] }, 'events'],
    ['an unknown event', { events: ['chat', 'order.created'] }, 'events'],
    ['a repeated event', { events: ['chat', 'chat'] }, 'events'],
    ['an unknown field', { colour: 'blue' }, 'colour'],
  ])('refuses %s with 400 validation_failed naming the field', async (_label, override, field) => {
    const response = await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, override));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(refusedFields(response.body)).toEqual([field]);
    expect(response.body.details[0].message.length).toBeGreaterThan(10);
  });

  it('says why a weak secret is refused', async () => {
    const response = await server.api(
      'POST',
      '/v1/webhooks',
      webhookInput(receiver.url, { secret: 'short-pass' }),
    );
    expect(response.body.details[0].message).toMatch(/10 characters long; use at least 24/);
  });

  it('accepts https on any host and http on loopback hosts', async () => {
    for (const url of [
      'https://hooks.example.com/caleida',
      'http://localhost:3000/hook',
      'http://[::1]:3000/hook',
    ]) {
      expect((await server.api('POST', '/v1/webhooks', webhookInput(url))).status).toBe(201);
    }
  });

  it('accepts http on any host when the server runs with allowHttp', async () => {
    const open = await startTestServer({ allowHttp: true });
    try {
      expect((await open.api('POST', '/v1/webhooks', webhookInput('http://example.com/hook'))).status).toBe(
        201,
      );
    } finally {
      await open.stop();
    }
  });

  it('refuses a body that is not JSON with 400 invalid_json', async () => {
    const response = await server.api('POST', '/v1/webhooks', '{"url": ');
    expect(response).toMatchObject({ status: 400, body: { code: 'invalid_json' } });
    expect(response.body.message).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses a JSON array body with validation_failed on the body', async () => {
    const response = await server.api('POST', '/v1/webhooks', []);
    expect(response).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(refusedFields(response.body)).toEqual(['body']);
  });
});

describe('PATCH /v1/webhooks/:id', () => {
  it('changes any of url, name, secret and events', async () => {
    const { body: created } = await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    const secret = generateSecret();
    const response = await server.api('PATCH', `/v1/webhooks/${created.id}`, {
      name: 'Renamed hook',
      url: 'https://hooks.example.com/new',
      events: ['insight.sentiment'],
      secret,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'Renamed hook',
      url: 'https://hooks.example.com/new',
      events: ['insight.sentiment'],
    });
    expect((await server.api('GET', `/v1/webhooks/${created.id}/secret`)).body.secret).toBe(secret);
  });

  it("keeps its own name without a clash, and refuses another webhook's name", async () => {
    const a = (await server.api('POST', '/v1/webhooks', webhookInput(receiver.url))).body;
    const b = (await server.api('POST', '/v1/webhooks', webhookInput(receiver.url))).body;
    expect((await server.api('PATCH', `/v1/webhooks/${a.id}`, { name: a.name })).status).toBe(200);
    const clash = await server.api('PATCH', `/v1/webhooks/${a.id}`, { name: b.name });
    expect(clash).toMatchObject({ status: 409, body: { code: 'name_taken' } });
  });

  it('refuses a bad field with validation_failed and changes nothing', async () => {
    const { body: created } = await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    const response = await server.api('PATCH', `/v1/webhooks/${created.id}`, {
      name: 'Fine name',
      events: [],
    });
    expect(response.status).toBe(400);
    expect(refusedFields(response.body)).toEqual(['events']);
    expect((await server.api('GET', `/v1/webhooks/${created.id}`)).body.name).toBe(created.name);
  });

  it('status "disabled" then "active" disables and re-enables the webhook', async () => {
    const { body: created } = await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    const disabled = await server.api('PATCH', `/v1/webhooks/${created.id}`, { status: 'disabled' });
    expect(disabled.body).toMatchObject({ status: 'disabled', disabled_reason: expect.any(String) });
    const active = await server.api('PATCH', `/v1/webhooks/${created.id}`, { status: 'active' });
    expect(active.body).toMatchObject({ status: 'active', disabled_reason: null });
  });
});

describe('GET and DELETE /v1/webhooks/:id', () => {
  it('DELETE answers 204, then the webhook is 404 not_found', async () => {
    const { body: created } = await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    expect((await server.api('DELETE', `/v1/webhooks/${created.id}`)).status).toBe(204);
    const response = await server.api('GET', `/v1/webhooks/${created.id}`);
    expect(response).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });

  it.each([
    ['GET', '/v1/webhooks/wh_missing'],
    ['PATCH', '/v1/webhooks/wh_missing'],
    ['DELETE', '/v1/webhooks/wh_missing'],
    ['GET', '/v1/webhooks/wh_missing/secret'],
    ['POST', '/v1/webhooks/wh_missing/test'],
    ['GET', '/v1/events/evt_missing'],
    ['GET', '/v1/deliveries/dlv_missing'],
    ['POST', '/v1/deliveries/dlv_missing/retry'],
    ['GET', '/v1/no-such-route'],
  ])('%s %s answers 404 not_found', async (method, path) => {
    const response = await server.api(method, path, method === 'PATCH' ? { name: 'x' } : undefined);
    expect(response).toMatchObject({ status: 404, body: { code: 'not_found', message: expect.any(String) } });
  });
});
