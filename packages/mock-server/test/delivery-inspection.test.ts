import { join } from 'node:path';
import { verify } from '@caleida/verify';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/storage/migrations.js';
import {
  type Answer,
  eventually,
  type Received,
  type Receiver,
  startReceiver,
  startTestServer,
  type TestServer,
  tempDir,
  webhookInput,
} from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(answer: (received: Received, index: number) => Answer): Promise<{
  server: TestServer;
  receiver: Receiver;
}> {
  const receiver = await startReceiver(answer);
  const server = await startTestServer({ retrySchedule: [0] });
  cleanups.push(
    () => receiver.close(),
    () => server.stop(),
  );
  return { server, receiver };
}

/** Triggers one event for the one webhook and waits until its delivery has finished. */
async function deliverOne(server: TestServer, type = 'chat') {
  const { body } = await server.api('POST', '/v1/events', { type });
  const id = body.deliveries[0].id as string;
  return eventually(async () => {
    const { body: delivery } = await server.api('GET', `/v1/deliveries/${id}`);
    return delivery.status === 'pending' || delivery.status === 'in_flight' ? undefined : delivery;
  });
}

const LONG_BODY = `{"error":"bad signature","detail":"${'x'.repeat(10_000)}"}`;

describe('GET /v1/deliveries/:id shows what each attempt sent and got back', () => {
  it('the request headers and body as the receiver got them, and its status, headers and body excerpt', async () => {
    const { server, receiver } = await setup(() => ({
      status: 400,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req_42' },
      body: LONG_BODY,
    }));
    const input = webhookInput(receiver.url, { events: ['chat'] });
    await server.api('POST', '/v1/webhooks', input);
    const delivery = await deliverOne(server);
    const [got] = receiver.received;

    expect(delivery).toMatchObject({ status: 'failed', attempt_count: 1 });
    expect(delivery.attempts).toHaveLength(1);
    const [attempt] = delivery.attempts;
    const sent = attempt.request.headers as Record<string, string>;
    for (const name of [
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'content-type',
      'user-agent',
    ]) {
      expect(sent[name], name).toBe(got?.headers[name]);
    }
    expect(attempt.request.body).toBe(got?.body);
    // The stored headers and body are exactly what was signed: they verify with the secret.
    expect(verify({ secret: input.secret, headers: sent, payload: attempt.request.body }).id).toBe(
      delivery.event_id,
    );
    expect(attempt.response.status).toBe(400);
    expect(attempt.status_code).toBe(400);
    expect(attempt.response.headers).toMatchObject({
      'content-type': 'application/json',
      'x-request-id': 'req_42',
    });
    expect(attempt.response.body).toBe(LONG_BODY.slice(0, 4096));
    expect(attempt.response.truncated).toBe(true);
    expect(attempt.duration_ms).toBeGreaterThan(0);
    expect(attempt.time_to_first_byte_ms).toBeGreaterThan(0);
    expect(attempt.time_to_first_byte_ms).toBeLessThanOrEqual(attempt.duration_ms);
    expect(Date.parse(attempt.started_at)).not.toBeNaN();
    expect(attempt.error).toBeNull();
  });

  it('a body of exactly 4 KB is whole (truncated: false); each retry has its own signature and the same body', async () => {
    const exact = 'y'.repeat(4096);
    const { server, receiver } = await setup(() => ({ status: 500, body: exact }));
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['message'] }));
    const first = await deliverOne(server, 'message');
    expect(first.attempts[0].response).toMatchObject({ status: 500, body: exact, truncated: false });

    await server.api('POST', `/v1/deliveries/${first.id}/retry`);
    await receiver.waitFor(2);
    const retried = await eventually(async () => {
      const { body } = await server.api('GET', `/v1/deliveries/${first.id}`);
      return body.attempts.length === 2 && body.status === 'failed' ? body : undefined;
    });
    const [one, two] = retried.attempts;
    expect(two.request.body).toBe(one.request.body);
    expect(two.request.headers['webhook-id']).toBe(one.request.headers['webhook-id']);
    expect(two.request.headers['webhook-signature']).toBe(receiver.received[1]?.headers['webhook-signature']);
  });

  it('an attempt that got no answer has response null and its error', async () => {
    const { server } = await setup(() => ({ status: 200 }));
    await server.api(
      'POST',
      '/v1/webhooks',
      webhookInput('http://127.0.0.1:9/nothing-listens-here', { events: ['chat'] }),
    );
    const delivery = await deliverOne(server);
    const [attempt] = delivery.attempts;
    expect(attempt.response).toBeNull();
    expect(attempt.time_to_first_byte_ms).toBeNull();
    expect(attempt.error).toMatch(/ECONNREFUSED/);
    expect(attempt.request.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(attempt.request.body)).toMatchObject({ type: 'chat' });
  });

  it('GET /v1/deliveries stays light: attempts without the request or response', async () => {
    const { server, receiver } = await setup(() => ({ status: 400, body: LONG_BODY }));
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
    await deliverOne(server);
    const { body } = await server.api('GET', '/v1/deliveries');
    const [attempt] = body.data[0].attempts;
    expect(attempt.status_code).toBe(400);
    expect(attempt).not.toHaveProperty('request');
    expect(attempt).not.toHaveProperty('response');
    expect(JSON.stringify(body)).not.toContain('webhook-signature');
  });

  it('/openapi.json documents the full attempts of GET /v1/deliveries/{id}, and the light ones of the list', async () => {
    const { server } = await setup(() => ({ status: 200 }));
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<
        string,
        // biome-ignore lint/suspicious/noExplicitAny: the test walks a JSON Schema by its property names
        { get: { responses: Record<string, { content: Record<string, { schema: any }> }> } }
      >;
    };
    const answer = (path: string) =>
      document.paths[path]?.get.responses['200']?.content['application/json']?.schema;
    const detailed = answer('/v1/deliveries/{id}').properties.attempts.items.properties;
    expect(Object.keys(detailed)).toEqual(
      expect.arrayContaining(['request', 'response', 'time_to_first_byte_ms', 'duration_ms', 'error']),
    );
    const listed = answer('/v1/deliveries').properties.data.items.properties.attempts.items.properties;
    expect(Object.keys(listed)).not.toContain('request');
    expect(Object.keys(listed)).not.toContain('response');
  });

  it('attempts logged before headers were kept show request.headers and response.headers as null', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const path = join(dir.path, 'old.db');
    const old = new Database(path);
    old.exec(MIGRATIONS[0] as string);
    old.exec(MIGRATIONS[1] as string);
    old.pragma('user_version = 2');
    old
      .prepare('INSERT INTO events (id, type, timestamp, body, created_at) VALUES (?, ?, ?, ?, ?)')
      .run('evt_old', 'chat', '2026-01-01T00:00:00.000Z', '{"type":"chat"}', 1);
    old
      .prepare(
        `INSERT INTO deliveries (id, event_id, webhook_id, event_type, status, attempt_count, created_at, updated_at)
         VALUES ('dlv_old', 'evt_old', 'wh_gone', 'chat', 'failed', 1, 1, 1)`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_excerpt)
         VALUES ('dlv_old', 1, 1, 12.5, 400, NULL, 'nope')`,
      )
      .run();
    old.close();

    const server = await startTestServer({ db: path });
    cleanups.push(() => server.close());
    const { status, body } = await server.api('GET', '/v1/deliveries/dlv_old');
    expect(status).toBe(200);
    expect(body.attempts[0]).toMatchObject({
      status_code: 400,
      request: { headers: null, body: '{"type":"chat"}' },
      response: { status: 400, headers: null, body: 'nope', truncated: false },
      time_to_first_byte_ms: null,
    });
  });
});
