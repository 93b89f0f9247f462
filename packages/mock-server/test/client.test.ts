import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockClient, MockApiError, WaitTimeoutError } from '../src/client/index.js';
import { type Receiver, startReceiver, startTestServer, type TestServer, webhookInput } from './helpers.js';

let server: TestServer;
let ok: Receiver;
let failing: Receiver;
beforeAll(async () => {
  ok = await startReceiver();
  failing = await startReceiver(() => ({ status: 500, body: 'boom' }));
  server = await startTestServer({ retrySchedule: [0, 60_000] });
});
afterAll(async () => {
  await server.stop();
  await ok.close();
  await failing.close();
});

const client = () => createMockClient({ url: server.url, apiKey: server.apiKey });

describe('createMockClient', () => {
  it('creates a webhook, triggers an event and waits for its delivery to succeed', async () => {
    const api = client();
    const webhook = await api.webhooks.create(webhookInput(ok.url, { events: ['message'] }) as never);
    expect(webhook).toMatchObject({ id: expect.stringMatching(/^wh_/), status: 'active' });
    expect((await api.webhooks.get(webhook.id)).name).toBe(webhook.name);
    const { event, deliveries } = await api.events.trigger('message', {});
    expect(deliveries.map((delivery) => delivery.webhook_id)).toContain(webhook.id);
    const done = await api.deliveries.waitFor({
      eventId: event.id,
      webhookId: webhook.id,
      timeoutMs: 10_000,
    });
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ status: 'succeeded', event_id: event.id, attempt_count: 1 });
    expect(
      (await api.deliveries.list({ eventId: event.id, status: 'succeeded' })).data.map((d) => d.id),
    ).toEqual(done.map((d) => d.id));
    await api.webhooks.delete(webhook.id);
  });

  it('waitFor rejects at its timeout with a WaitTimeoutError listing what arrived and the last error', async () => {
    const api = client();
    const webhook = await api.webhooks.create(webhookInput(failing.url, { events: ['chat'] }) as never);
    const { event } = await api.events.trigger('chat', {});
    const started = Date.now();
    const error = await api.deliveries
      .waitFor({ eventId: event.id, status: 'succeeded', count: 1, timeoutMs: 1500 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    const timeout = error as WaitTimeoutError;
    expect(timeout.arrived).toHaveLength(1);
    expect(timeout.message).toContain(`event ${event.id}`);
    expect(timeout.message).toMatch(/pending, 1 attempt\(s\), last: HTTP 500/);
    await api.webhooks.update(webhook.id, { status: 'disabled' });
  });

  it('waitFor ends as soon as disabling the webhook cancels what it waits for', async () => {
    const api = client();
    const webhook = await api.webhooks.create(webhookInput(failing.url, { events: ['chat'] }) as never);
    const { event } = await api.events.trigger('chat', {});
    await api.deliveries.waitFor({ eventId: event.id, status: 'pending', timeoutMs: 10_000 });
    const cancelled = api.deliveries.waitFor({ eventId: event.id, status: 'cancelled', timeoutMs: 15_000 });
    const started = Date.now();
    await api.webhooks.update(webhook.id, { status: 'disabled' });
    expect(await cancelled).toMatchObject([{ event_id: event.id, status: 'cancelled' }]);
    // Woken by the change itself, not by the wait's own deadline.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a refusal becomes a MockApiError with status, code and details', async () => {
    const api = client();
    const missing = await api.webhooks.get('wh_missing').catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(MockApiError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    const invalid = await api.webhooks
      .create({ url: 'nope', name: 'x', secret: 'whsec_x', events: [] } as never)
      .catch((caught: unknown) => caught);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((invalid as MockApiError).details.map((detail) => detail.field)).toContain('url');
    const unauthorized = await createMockClient({ url: server.url, apiKey: 'wrong' })
      .webhooks.list()
      .catch((caught: unknown) => caught);
    expect(unauthorized).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('a server that cannot be reached gets an error naming the URL', async () => {
    const api = createMockClient({ url: 'http://127.0.0.1:1', apiKey: 'k' });
    await expect(api.webhooks.list()).rejects.toThrow(
      /Could not reach the mock server at http:\/\/127\.0\.0\.1:1\/v1\/webhooks/,
    );
  });

  it('imports nothing server-side: only its own files and types', () => {
    const dir = new URL('../src/client/', import.meta.url);
    for (const file of readdirSync(dir)) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      const imports = [...source.matchAll(/^import\s+(type\s+)?[^'"]*['"]([^'"]+)['"]/gm)];
      for (const [, typeOnly, from] of imports) {
        if (typeOnly) continue;
        expect({ file, from }).toEqual({ file, from: expect.stringMatching(/^\.\/[\w-]+\.js$/) });
      }
    }
  });
});

describe('GET /v1/deliveries pages', () => {
  it('pages newest first with an opaque cursor that later inserts do not shift, filtered by type', async () => {
    const api = client();
    const webhook = await api.webhooks.create(webhookInput(ok.url, { events: ['insight.topic'] }) as never);
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const { deliveries } = await api.events.trigger('insight.topic', {});
      ids.unshift(...deliveries.map((delivery) => delivery.id));
    }
    const first = await api.deliveries.list({ webhookId: webhook.id, type: 'insight.topic', limit: 2 });
    expect(first.data.map((delivery) => delivery.id)).toEqual(ids.slice(0, 2));
    expect(first.next_cursor).toEqual(expect.any(String));
    await api.events.trigger('insight.topic', {});
    const second = await api.deliveries.list({
      webhookId: webhook.id,
      limit: 2,
      cursor: first.next_cursor ?? '',
    });
    expect(second.data.map((delivery) => delivery.id)).toEqual(ids.slice(2, 4));
    const third = await api.deliveries.list({
      webhookId: webhook.id,
      limit: 2,
      cursor: second.next_cursor ?? '',
    });
    expect(third.data.map((delivery) => delivery.id)).toEqual(ids.slice(4));
    expect(third.next_cursor).toBeNull();
    expect((await api.deliveries.list({ webhookId: webhook.id, type: 'chat' })).data).toEqual([]);
  });

  it('refuses a cursor it did not give with 400 and a clear message', async () => {
    const answer = await server.api('GET', '/v1/deliveries?cursor=not-a-cursor');
    expect(answer.status).toBe(400);
    expect(answer.body.details).toEqual([
      { field: 'cursor', message: expect.stringContaining('pass next_cursor from the previous page') },
    ]);
  });
});

describe('GET /v1/deliveries/wait', () => {
  it('refuses a wait that names neither an event nor a webhook, and a timeout over 60 s', async () => {
    const none = await server.api('GET', '/v1/deliveries/wait');
    expect(none.status).toBe(400);
    expect(none.body.details[0].message).toMatch(/give event_id or webhook_id/);
    const long = await server.api('GET', '/v1/deliveries/wait?event_id=evt_x&timeout_ms=600000');
    expect(long.status).toBe(400);
    expect(long.body.details[0]).toMatchObject({ field: 'timeout_ms' });
  });

  it('answers timed_out: true with what matched when the time is up', async () => {
    const answer = await server.api('GET', '/v1/deliveries/wait?event_id=evt_none&timeout_ms=50');
    expect(answer).toMatchObject({ status: 200, body: { timed_out: true, data: [] } });
  });

  it('answers every open wait with timed_out: true when the server closes', async () => {
    const own = await startTestServer();
    const { port } = new URL(own.url);
    const answered = new Promise<string>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port, path: '/v1/deliveries/wait?event_id=evt_b&timeout_ms=60000' },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          response.on('end', () => resolve(text));
        },
      );
      request.setHeader('authorization', `Bearer ${own.apiKey}`);
      request.on('error', reject);
      request.end();
    });
    // A later request on another connection is answered after the wait was taken up.
    await own.api('GET', '/v1/deliveries/wait?event_id=evt_c&timeout_ms=0');
    const started = Date.now();
    await own.stop();
    expect(JSON.parse(await answered)).toEqual({ timed_out: true, data: [] });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
