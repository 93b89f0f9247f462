import { dataSchemas, eventSchemas, verify } from '@caleida/verify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  eventually,
  nth,
  type Receiver,
  startReceiver,
  startTestServer,
  type TestServer,
  webhookInput,
} from './helpers.js';

let server: TestServer;
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
  server = await startTestServer({ retrySchedule: [0, 0.2, 0.2] });
});
afterEach(async () => {
  await server.stop();
  await receiver.close();
});

describe('POST /v1/events', () => {
  it('without data generates a schema-valid event and delivers it signed to each subscriber', async () => {
    const input = webhookInput(receiver.url, { events: ['insight.sentiment'] });
    await server.api('POST', '/v1/webhooks', input);
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
    const response = await server.api('POST', '/v1/events', { type: 'insight.sentiment' });
    expect(response.status).toBe(202);
    expect(response.body.event).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: 'insight.sentiment',
    });
    expect(response.body.deliveries).toHaveLength(1);
    const request = nth(await receiver.waitFor(1), 0);
    const verified = verify({
      secret: input.secret,
      payload: request.body,
      headers: request.headers as Record<string, string>,
    });
    expect(verified.id).toBe(response.body.event.id);
    const body = JSON.parse(request.body);
    expect(eventSchemas['insight.sentiment'].safeParse(body).success).toBe(true);
    expect(body.data).toEqual(response.body.event.data);
  });

  it('with data and id sends exactly that data under that webhook-id', async () => {
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['message'] }));
    const data = {
      id: 'msg_1',
      chat_id: 'chat_1',
      created_at: '2026-01-01T00:00:00Z',
      role: 'customer',
      content: 'Hi',
    };
    const response = await server.api('POST', '/v1/events', { type: 'message', id: 'evt_custom_1', data });
    expect(response.status).toBe(202);
    const request = nth(await receiver.waitFor(1), 0);
    expect(request.headers['webhook-id']).toBe('evt_custom_1');
    expect(JSON.parse(request.body).data).toEqual(data);
    expect((await server.api('GET', '/v1/events/evt_custom_1')).body).toMatchObject({
      id: 'evt_custom_1',
      data,
    });
  });

  it('refuses data that does not fit the event type, naming the field', async () => {
    const response = await server.api('POST', '/v1/events', {
      type: 'message',
      data: { id: 'msg_1', role: 'robot', content: 5 },
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['data.role', 'data.content']),
    );
  });

  it('merges partial data into a realistic fixture of the event type', async () => {
    const response = await server.api('POST', '/v1/events', {
      type: 'message',
      data: { content: 'Where is my order?', role: 'agent' },
    });
    expect(response.status).toBe(202);
    const data = response.body.event.data;
    expect(data).toMatchObject({ content: 'Where is my order?', role: 'agent' });
    expect(data.chat_id).toEqual(expect.any(String));
    expect(dataSchemas.message.safeParse(data).success).toBe(true);
  });

  it('refuses an unknown type and a taken id', async () => {
    const unknown = await server.api('POST', '/v1/events', { type: 'order.created' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].field).toBe('type');
    await server.api('POST', '/v1/events', { type: 'chat', id: 'evt_twice' });
    const again = await server.api('POST', '/v1/events', { type: 'chat', id: 'evt_twice' });
    expect(again).toMatchObject({ status: 409, body: { code: 'event_id_taken' } });
  });

  it('generated event ids have the format of generateEventId() and sort in the order triggered', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await server.api('POST', '/v1/events', { type: 'chat' })).body.event.id);
    for (const id of ids) expect(id).toMatch(/^evt_[0-9A-Za-z]{24}$/);
    expect(new Set(ids).size).toBe(5);
    const timeParts = ids.map((id) => id.slice(0, 'evt_'.length + 9));
    expect(timeParts.slice().sort()).toEqual(timeParts);
  });

  it('GET /v1/events lists events newest first, each as its trigger answered it', async () => {
    const a = (await server.api('POST', '/v1/events', { type: 'chat', id: 'evt_a' })).body.event;
    const b = (await server.api('POST', '/v1/events', { type: 'message', id: 'evt_b' })).body.event;
    const list = await server.api('GET', '/v1/events?limit=2');
    expect(list.body.data).toEqual([b, a]);
    expect((await server.api('GET', '/v1/events/evt_a')).body).toEqual(a);
    expect((await server.api('GET', '/v1/events?limit=0')).status).toBe(400);
  });
});

describe('deliveries', () => {
  it('GET /v1/deliveries filters by webhook, event and status, with attempts', async () => {
    const a = (await server.api('POST', '/v1/webhooks', webhookInput(receiver.url))).body;
    const b = (await server.api('POST', '/v1/webhooks', webhookInput(receiver.url))).body;
    const event = (await server.api('POST', '/v1/events', { type: 'chat' })).body.event;
    await receiver.waitFor(2);
    const delivered = await eventually(async () => {
      const list = await server.api('GET', `/v1/deliveries?event_id=${event.id}&status=succeeded`);
      return list.body.data.length === 2 ? list.body.data : undefined;
    });
    expect(delivered[0].attempts[0]).toMatchObject({ number: 1, status_code: 200, error: null });
    const onlyA = await server.api('GET', `/v1/deliveries?webhook_id=${a.id}`);
    expect(onlyA.body.data.map((d: { webhook_id: string }) => d.webhook_id)).toEqual([a.id]);
    expect(b.id).not.toBe(a.id);
    expect((await server.api('GET', '/v1/deliveries?status=lost')).status).toBe(400);
  });

  it('POST /v1/deliveries/:id/retry sends a delivery again now', async () => {
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    await receiver.waitFor(1);
    await eventually(async () =>
      (await server.api('GET', `/v1/deliveries/${deliveries[0].id}`)).body.status === 'succeeded'
        ? true
        : undefined,
    );
    const retried = await server.api('POST', `/v1/deliveries/${deliveries[0].id}/retry`);
    expect(retried.status).toBe(202);
    const received = await receiver.waitFor(2);
    expect(nth(received, 1).headers['webhook-id']).toBe(nth(received, 0).headers['webhook-id']);
    const after = await eventually(async () => {
      const { body } = await server.api('GET', `/v1/deliveries/${deliveries[0].id}`);
      return body.attempt_count === 2 && body.status === 'succeeded' ? body : undefined;
    });
    expect(after.attempts.map((attempt: { number: number }) => attempt.number)).toEqual([1, 2]);
  });

  it('POST /v1/webhooks/:id/test sends one event to that webhook only', async () => {
    const other = await startReceiver();
    try {
      const target = (
        await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['insight.topic'] }))
      ).body;
      await server.api('POST', '/v1/webhooks', webhookInput(other.url, { events: ['insight.topic'] }));
      const response = await server.api('POST', `/v1/webhooks/${target.id}/test`);
      expect(response.status).toBe(202);
      expect(response.body.event.type).toBe('insight.topic');
      expect(response.body.deliveries.map((d: { webhook_id: string }) => d.webhook_id)).toEqual([target.id]);
      await receiver.waitFor(1);
      // An ordinary event afterwards reaches both: once `other` has it, the test event had its chance.
      const later = (await server.api('POST', '/v1/events', { type: 'insight.topic' })).body.event.id;
      await other.waitFor(1);
      expect(other.received.map((request) => request.headers['webhook-id'])).toEqual([later]);
    } finally {
      await other.close();
    }
  });
});
