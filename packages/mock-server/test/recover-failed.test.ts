import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startReceiver, startTestServer, type TestServer, webhookInput } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A server that gives up after one attempt, and a receiver that fails until `healthy` is set. */
async function setup() {
  const state = { healthy: false };
  const receiver = await startReceiver(() => ({ status: state.healthy ? 200 : 500 }));
  const server = await startTestServer({ allowHttp: true, retrySchedule: [0] });
  cleanups.push(
    () => receiver.close(),
    () => server.stop(),
  );
  const webhook = (await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] })))
    .body;
  return { state, receiver, server, webhook };
}

async function failedIds(server: TestServer, webhookId: string, count: number): Promise<string[]> {
  return eventually(async () => {
    const { body } = await server.api('GET', `/v1/deliveries?webhook_id=${webhookId}&status=failed`);
    return body.data.length === count ? body.data.map((delivery: { id: string }) => delivery.id) : undefined;
  });
}

describe('POST /v1/webhooks/:id/recover', () => {
  it('re-sends every delivery of the webhook that failed since the time, once each, and not older ones', async () => {
    const { state, receiver, server, webhook } = await setup();
    await server.api('POST', '/v1/events', { type: 'chat', id: 'evt_before_the_outage_window' });
    await failedIds(server, webhook.id, 1);
    // created_at has millisecond resolution: the next events must be created after the cut.
    const cut = Date.now() + 1;
    while (Date.now() <= cut) await new Promise((resolve) => setImmediate(resolve));
    const since = new Date(cut).toISOString();
    for (const id of ['evt_recover_one', 'evt_recover_two', 'evt_recover_three']) {
      expect((await server.api('POST', '/v1/events', { type: 'chat', id })).status).toBe(202);
    }
    const failed = await failedIds(server, webhook.id, 4);
    expect(receiver.received).toHaveLength(4);

    state.healthy = true;
    const answer = await server.api('POST', `/v1/webhooks/${webhook.id}/recover`, { since });
    expect(answer.status).toBe(202);
    expect(answer.body.resent).toBe(3);
    expect(answer.body.delivery_ids).toHaveLength(3);
    for (const id of answer.body.delivery_ids) expect(failed).toContain(id);

    await receiver.waitFor(7);
    const resentIds = receiver.received.slice(4).map((request) => request.headers['webhook-id']);
    expect(resentIds.sort()).toEqual(['evt_recover_one', 'evt_recover_three', 'evt_recover_two']);
    // The receipt comes before the attempt's record: wait until all four are settled.
    const statusOf = await eventually(async () => {
      const { body } = await server.api('GET', `/v1/deliveries?webhook_id=${webhook.id}`);
      const settled = body.data.every((delivery: { status: string }) =>
        ['failed', 'succeeded'].includes(delivery.status),
      );
      return settled
        ? Object.fromEntries(
            body.data.map((delivery: { event_id: string; status: string }) => [
              delivery.event_id,
              delivery.status,
            ]),
          )
        : undefined;
    });
    expect(statusOf).toEqual({
      evt_before_the_outage_window: 'failed',
      evt_recover_one: 'succeeded',
      evt_recover_two: 'succeeded',
      evt_recover_three: 'succeeded',
    });
    // Nothing failed is left since then: a second recovery re-sends nothing.
    const again = await server.api('POST', `/v1/webhooks/${webhook.id}/recover`, { since });
    expect(again.body).toEqual({ resent: 0, delivery_ids: [] });
    expect(receiver.received).toHaveLength(7);
  });

  it.each([
    [{}, /since must be an ISO 8601 time/],
    [{ since: 'yesterday' }, /since must be an ISO 8601 time with a date and a time/],
    [{ since: '2999-01-01T00:00:00Z' }, /must not be in the future/],
    [{ since: '2026-01-01T00:00:00Z', extra: 1 }, /extra is not a known field/],
  ])('refuses the body %j with 400 validation_failed', async (input, message) => {
    const { server, webhook } = await setup();
    const answer = await server.api('POST', `/v1/webhooks/${webhook.id}/recover`, input);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation_failed');
    expect(JSON.stringify(answer.body.details)).toMatch(message);
  });

  it('answers 404 for an unknown webhook', async () => {
    const { server } = await setup();
    const answer = await server.api('POST', '/v1/webhooks/wh_unknown/recover', {
      since: new Date().toISOString(),
    });
    expect(answer).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });
});
