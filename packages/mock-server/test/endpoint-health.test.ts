import { generateSecret, verify } from '@caleida/verify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type OperationalEvent, operationalEventSchema } from '../src/health/operational-events.js';
import { captureLogs, type Received, startReceiver, startTestServer, webhookInput } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A receiver of operational events: each one checked with `verify()` and parsed with its schema. */
async function startOperationalReceiver() {
  const secret = generateSecret();
  const receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  const events = (): OperationalEvent[] =>
    receiver.received.map((request: Received) => {
      verify({ secret, payload: request.body, headers: request.headers });
      return operationalEventSchema.parse(JSON.parse(request.body));
    });
  return { url: receiver.url, secret, receiver, events };
}

describe('endpoint health', () => {
  it('a webhook failing for disableAfterFailingMs with disableAfterExhausted exhausted deliveries is disabled, logged and reported signed; enabling it resumes', async () => {
    let healthy = false;
    const receiver = await startReceiver(() => ({ status: healthy ? 200 : 500 }));
    cleanups.push(() => receiver.close());
    const ops = await startOperationalReceiver();
    const logs = captureLogs();
    const server = await startTestServer({
      retrySchedule: [0],
      disableAfterFailingMs: 300,
      disableAfterExhausted: 2,
      operationalWebhook: { url: ops.url, secret: ops.secret },
      logger: logs.logger,
    });
    cleanups.push(() => server.stop());
    const webhook = (
      await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }))
    ).body;

    // One event at a time, each until it is exhausted, until the webhook is disabled.
    let exhausted = 0;
    for (;;) {
      const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
      if (deliveries.length === 0) break;
      exhausted++;
      await ops.receiver.waitFor(exhausted);
      await vi.waitFor(async () => {
        const { body } = await server.api('GET', `/v1/webhooks/${webhook.id}`);
        expect(body.health.attempts).toBe(exhausted);
      });
    }

    const reported = ops.events();
    const disabled = reported.find((event) => event.type === 'webhook.disabled');
    expect(disabled).toMatchObject({
      data: { webhook_id: webhook.id, reason: 'failing', url: receiver.url, exhausted_deliveries: exhausted },
    });
    const failingSince = Date.parse(disabled?.data.failing_since as string);
    expect(Date.parse(disabled?.timestamp as string) - failingSince).toBeGreaterThanOrEqual(300);
    expect(failingSince).toBeLessThanOrEqual((receiver.received[0] as Received).at);
    const exhaustions = reported.filter((event) => event.type === 'delivery.exhausted');
    expect(exhaustions).toHaveLength(exhausted);
    expect(exhaustions[0]).toMatchObject({
      data: { webhook_id: webhook.id, event_type: 'chat', attempts: 1, last_status_code: 500 },
    });
    // Not disabled any sooner than both conditions allowed: every earlier exhaustion lacked one.
    expect(exhausted).toBeGreaterThanOrEqual(2);
    for (const [index, event] of exhaustions.slice(0, -1).entries()) {
      const enough = index + 1 >= 2 && Date.parse(event.timestamp) - failingSince >= 300;
      expect(enough).toBe(false);
    }

    const logged = logs.lines.filter(
      (line) => line.msg === 'webhook.disabled' || line.msg === 'delivery.exhausted',
    );
    expect(logged.map((line) => line.operationalEvent)).toEqual(reported);

    const shown = (await server.api('GET', `/v1/webhooks/${webhook.id}`)).body;
    expect(shown).toMatchObject({
      status: 'disabled',
      disabled_reason: 'failing',
      health: {
        success_rate: 0,
        attempts: exhausted,
        failures: exhausted,
        failing_since: disabled?.data.failing_since,
        disabled_reason: 'failing',
      },
    });
    const listed = (await server.api('GET', '/v1/webhooks')).body.data;
    expect(listed[0].health).toEqual(shown.health);

    healthy = true;
    const enabled = (await server.api('PATCH', `/v1/webhooks/${webhook.id}`, { status: 'active' })).body;
    expect(enabled).toMatchObject({
      status: 'active',
      disabled_reason: null,
      health: { success_rate: null, attempts: 0, failures: 0, failing_since: null, disabled_reason: null },
    });
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    expect(deliveries).toHaveLength(1);
    await vi.waitFor(async () => {
      const { body } = await server.api('GET', `/v1/webhooks/${webhook.id}`);
      expect(body.health).toMatchObject({ success_rate: 1, attempts: 1, failures: 0, failing_since: null });
    });
  });

  it('an operational event its webhook failed to take is sent again, with the same webhook-id', async () => {
    const secret = generateSecret();
    const ops = await startReceiver((_request, index) => ({ status: index === 0 ? 503 : 200 }));
    const receiver = await startReceiver(() => ({ status: 500 }));
    cleanups.push(
      () => ops.close(),
      () => receiver.close(),
    );
    const server = await startTestServer({
      retrySchedule: [0],
      operationalWebhook: { url: ops.url, secret },
    });
    cleanups.push(() => server.stop());
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    const [first, second] = (await ops.waitFor(2)) as [Received, Received];
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
    verify({ secret, payload: second.body, headers: second.headers });
    expect(operationalEventSchema.parse(JSON.parse(second.body))).toMatchObject({
      type: 'delivery.exhausted',
      data: { delivery_id: deliveries[0].id },
    });
  });
});
