import { generateSecret, verify } from '@caleida/verify';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockServerOptions } from '../src/index.js';
import {
  type Answer,
  eventually,
  nth,
  type Received,
  startReceiver,
  startTestServer,
  type TestServer,
  webhookInput,
} from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(
  options: MockServerOptions,
  answer?: (received: Received, index: number) => Answer | Promise<Answer>,
) {
  const receiver = await startReceiver(answer);
  const server = await startTestServer(options);
  cleanups.push(
    () => receiver.close(),
    () => server.stop(),
  );
  return { receiver, server };
}

async function delivery(server: TestServer, id: string, until: (d: { status: string }) => boolean) {
  return eventually(async () => {
    const { body } = await server.api('GET', `/v1/deliveries/${id}`);
    return until(body) ? body : undefined;
  });
}

/** A receiver that answers `answer` only after `ms`, on purpose. */
const answerAfter = (ms: number, answer: Answer) =>
  new Promise<Answer>((resolve) => setTimeout(() => resolve(answer), ms));

/** A second webhook and receiver, sent one chat event now, to show how far the engine has got. */
async function startWitness(
  server: TestServer,
  answer?: (received: Received, index: number) => Answer | Promise<Answer>,
) {
  const witness = await startReceiver(answer);
  cleanups.push(() => witness.close());
  await server.api('POST', '/v1/webhooks', webhookInput(witness.url, { events: ['chat'] }));
  await server.api('POST', '/v1/events', { type: 'chat' });
  return witness;
}

const countBy = (received: Received[]) => {
  const counts = new Map<string, number>();
  for (const r of received)
    counts.set(String(r.headers['webhook-id']), (counts.get(String(r.headers['webhook-id'])) ?? 0) + 1);
  return counts;
};

describe('delivery engine', () => {
  it('a receiver that answers 500 to the first two attempts of every delivery still gets every event', async () => {
    const seen = new Map<string, number>();
    const { receiver, server } = await setup({ retrySchedule: [0, 0.05, 0.05, 0.05] }, (request) => {
      const id = String(request.headers['webhook-id']);
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      return n <= 2 ? { status: 500, body: 'try later' } : { status: 204 };
    });
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
    const ids = Array.from({ length: 20 }, (_, i) => `evt_fault_${i}`);
    for (const id of ids) await server.api('POST', '/v1/events', { type: 'chat', id });
    await receiver.waitFor(60);
    const succeeded = await eventually(async () => {
      const { body } = await server.api('GET', '/v1/deliveries?status=succeeded&limit=100');
      return body.data.length === 20 ? body.data : undefined;
    });
    expect(new Set(succeeded.map((d: { event_id: string }) => d.event_id))).toEqual(new Set(ids));
    for (const d of succeeded) {
      expect(d.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 204]);
      expect(d.attempts[0].response_excerpt).toBe('try later');
    }
  });

  it('a retry that comes due while every slot is busy is still attempted, with no new event to wake the engine', async () => {
    let answered = 0;
    const { receiver, server } = await setup(
      { concurrency: 2, perWebhookConcurrency: 2, retrySchedule: [0, 0.3] },
      () => {
        answered++;
        if (answered <= 2) return { status: 500 };
        // Slow enough that both slots stay busy past the retries' due time.
        return answerAfter(30, { status: 200 });
      },
    );
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
    const ids = Array.from({ length: 40 }, (_, i) => `evt_busy_${i}`);
    for (const id of ids) await server.api('POST', '/v1/events', { type: 'chat', id });
    // 40 first attempts and the 2 retries; nothing else is triggered.
    await receiver.waitFor(42, 15_000);
    const succeeded = await eventually(async () => {
      const { body } = await server.api('GET', '/v1/deliveries?status=succeeded&limit=100');
      return body.data.length === 40 ? body.data : undefined;
    });
    expect(succeeded.filter((d: { attempt_count: number }) => d.attempt_count === 2)).toHaveLength(2);
  });

  it('an event whose first attempt is scheduled later is sent when it comes due, with no other event to wake the engine', async () => {
    const { receiver, server } = await setup({ retrySchedule: [0.2], retryJitter: 0 });
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
    const triggered = Date.now();
    const { body } = await server.api('POST', '/v1/events', { type: 'chat', id: 'evt_scheduled' });
    expect(body.deliveries[0].status).toBe('pending');
    const [received] = await receiver.waitFor(1, 5_000);
    expect(received?.headers['webhook-id']).toBe('evt_scheduled');
    expect((received?.at ?? 0) - triggered).toBeGreaterThanOrEqual(190);
  });

  it('a receiver that hangs past the attempt timeout is retried', async () => {
    const { receiver, server } = await setup(
      { retrySchedule: [0, 0.05], attemptTimeoutMs: 300 },
      (_r, index) => (index === 0 ? 'hang' : { status: 200 }),
    );
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    const done = await delivery(server, deliveries[0].id, (d) => d.status === 'succeeded');
    expect(done.attempts[0]).toMatchObject({ status_code: null, error: 'timed out after 300 ms' });
    expect(done.attempts[0].duration_ms).toBeGreaterThanOrEqual(290);
    expect(done.attempts[1]).toMatchObject({ status_code: 200 });
    expect(receiver.received).toHaveLength(2);
  });

  it('a 410 disables the webhook and cancels its other deliveries', async () => {
    const { receiver, server } = await setup({ retrySchedule: [0, 5] }, () => ({ status: 410 }));
    const webhook = (await server.api('POST', '/v1/webhooks', webhookInput(receiver.url))).body;
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    const failed = await delivery(server, deliveries[0].id, (d) => d.status === 'failed');
    expect(failed.attempts).toHaveLength(1);
    const after = (await server.api('GET', `/v1/webhooks/${webhook.id}`)).body;
    expect(after).toMatchObject({ status: 'disabled', disabled_reason: expect.stringContaining('410') });
    const next = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    expect(next.deliveries).toHaveLength(0);
    expect((await server.api('POST', `/v1/webhooks/${webhook.id}/test`)).body.code).toBe('webhook_disabled');
    expect(receiver.received).toHaveLength(1);
  });

  it('a 3xx is a failure and its Location is not followed', async () => {
    const other = await startReceiver();
    cleanups.push(() => other.close());
    const { receiver, server } = await setup({ retrySchedule: [0] }, () => ({
      status: 302,
      headers: { location: other.url },
    }));
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    const failed = await delivery(server, deliveries[0].id, (d) => d.status === 'failed');
    expect(failed.attempts[0].status_code).toBe(302);
    expect(other.received).toHaveLength(0);
  });

  it('a 429 with Retry-After waits that long, not the schedule', async () => {
    const { receiver, server } = await setup({ retrySchedule: [0, 0.01, 0.01] }, (_r, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    await server.api('POST', '/v1/events', { type: 'chat' });
    const first = nth(await receiver.waitFor(2), 0);
    const second = nth(receiver.received, 1);
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  });

  it('after the last attempt of the schedule the delivery is failed', async () => {
    const { receiver, server } = await setup({ retrySchedule: [0, 0.02, 0.02] }, () => ({ status: 500 }));
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    const failed = await delivery(server, deliveries[0].id, (d) => d.status === 'failed');
    expect(failed).toMatchObject({ attempt_count: 3, next_attempt_at: null });
    expect(receiver.received).toHaveLength(3);
  });

  it('a connection refused is retried like any failure', async () => {
    const { receiver, server } = await setup({ retrySchedule: [0, 0.02] });
    await receiver.close();
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    const failed = await delivery(server, deliveries[0].id, (d) => d.status === 'failed');
    expect(failed.attempts.map((a: { error: string }) => a.error)).toEqual([
      expect.stringMatching(/^ECONNREFUSED/),
      expect.stringMatching(/^ECONNREFUSED/),
    ]);
  });

  it('each attempt is signed afresh with the same webhook-id and a new timestamp', async () => {
    const input = webhookInput('');
    const { receiver, server } = await setup({ retrySchedule: [0, 1.1] }, (_r, index) =>
      index === 0 ? { status: 500 } : { status: 200 },
    );
    await server.api('POST', '/v1/webhooks', { ...input, url: receiver.url });
    await server.api('POST', '/v1/events', { type: 'chat' });
    const first = nth(await receiver.waitFor(2), 0);
    const second = nth(receiver.received, 1);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(Number(second.headers['webhook-timestamp'])).toBeGreaterThan(
      Number(first.headers['webhook-timestamp']),
    );
    for (const request of [first, second]) {
      expect(() =>
        verify({
          secret: input.secret,
          payload: request.body,
          headers: request.headers as Record<string, string>,
        }),
      ).not.toThrow();
    }
  });

  it('deleting a webhook cancels its pending deliveries: no call after the delete', async () => {
    const { receiver, server } = await setup({ retrySchedule: [0, 0.5] }, () => ({ status: 500 }));
    const webhook = (await server.api('POST', '/v1/webhooks', webhookInput(receiver.url))).body;
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    await receiver.waitFor(1);
    await delivery(server, deliveries[0].id, (d) => d.status === 'pending');
    await server.api('DELETE', `/v1/webhooks/${webhook.id}`);
    expect((await server.api('GET', `/v1/deliveries/${deliveries[0].id}`)).body.status).toBe('cancelled');
    // A witness webhook's retry comes due after the cancelled one would have: once it arrives, the
    // engine has had its chance to send the cancelled retry.
    const witness = await startWitness(server, () => ({ status: 500 }));
    await witness.waitFor(2);
    expect(receiver.received).toHaveLength(1);
    expect((await server.api('POST', `/v1/deliveries/${deliveries[0].id}/retry`)).body.code).toBe(
      'webhook_deleted',
    );
  });

  it('a delivery already claimed is not sent when its webhook is deleted before the call', async () => {
    const { receiver, server } = await setup({ chaos: { delayMs: 400 } });
    const webhook = (await server.api('POST', '/v1/webhooks', webhookInput(receiver.url))).body;
    const { deliveries } = (await server.api('POST', '/v1/events', { type: 'chat' })).body;
    await delivery(server, deliveries[0].id, (d) => d.status === 'in_flight');
    await server.api('DELETE', `/v1/webhooks/${webhook.id}`);
    // A witness delivery claimed after this one is held as long: once it arrives, this one's hold
    // is over too.
    const witness = await startWitness(server);
    await witness.waitFor(1);
    expect(receiver.received).toHaveLength(0);
    expect((await server.api('GET', `/v1/deliveries/${deliveries[0].id}`)).body.status).toBe('cancelled');
  });

  it('an edited URL and secret apply to the next attempt', async () => {
    const next = await startReceiver();
    cleanups.push(() => next.close());
    const { receiver, server } = await setup({ retrySchedule: [0, 0.3] }, () => ({ status: 500 }));
    const webhook = (await server.api('POST', '/v1/webhooks', webhookInput(receiver.url))).body;
    await server.api('POST', '/v1/events', { type: 'chat' });
    await receiver.waitFor(1);
    const secret = generateSecret();
    await server.api('PATCH', `/v1/webhooks/${webhook.id}`, { url: next.url, secret });
    const request = nth(await next.waitFor(1), 0);
    expect(() =>
      verify({ secret, payload: request.body, headers: request.headers as Record<string, string> }),
    ).not.toThrow();
    expect(receiver.received).toHaveLength(1);
  });

  it('a slow webhook does not hold up another one', async () => {
    const slow = await startReceiver(() => 'hang');
    cleanups.push(() => slow.close());
    const { receiver, server } = await setup({
      concurrency: 4,
      perWebhookConcurrency: 2,
      attemptTimeoutMs: 5000,
      retrySchedule: [0],
    });
    await server.api('POST', '/v1/webhooks', webhookInput(slow.url, { events: ['chat'] }));
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url, { events: ['chat'] }));
    const started = Date.now();
    for (let i = 0; i < 10; i++) await server.api('POST', '/v1/events', { type: 'chat' });
    await receiver.waitFor(10, 3000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(slow.received.length).toBeLessThanOrEqual(2);
  });

  it('chaos duplicate 1 sends every successful delivery twice', async () => {
    const { receiver, server } = await setup({ chaos: { duplicate: 1 } });
    await server.api('POST', '/v1/webhooks', webhookInput(receiver.url));
    for (let i = 0; i < 3; i++) await server.api('POST', '/v1/events', { type: 'chat' });
    await receiver.waitFor(6);
    expect([...countBy(receiver.received).values()]).toEqual([2, 2, 2]);
  });
});
