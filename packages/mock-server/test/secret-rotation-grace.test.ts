import { generateSecret, sign, verify } from '@caleida/verify';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type Received, startReceiver, startTestServer, webhookInput } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** Whether a receiver holding only `secret` accepts the request. */
function accepts(secret: string, request: Received): boolean {
  try {
    verify({ secret, headers: request.headers as Record<string, string>, payload: request.body });
    return true;
  } catch {
    return false;
  }
}

/** The `v1,` signatures of a request, in the order sent. */
const signaturesOf = (request: Received): string[] => String(request.headers['webhook-signature']).split(' ');

/** The signature `secret` makes for a request. */
const signatureWith = (secret: string, request: Received): string =>
  sign({
    secret,
    id: String(request.headers['webhook-id']),
    timestamp: Number(request.headers['webhook-timestamp']),
    payload: request.body,
  });

/**
 * A mock server and a receiver that accepts a call only when it verifies with `holder.secret`
 * (the secret the receiver is deployed with), answering 401 otherwise.
 */
async function setup(options: { retrySchedule?: number[] } = {}) {
  const oldSecret = generateSecret();
  const holder = { secret: oldSecret, failNext: 0 };
  const receiver = await startReceiver((request) => {
    if (holder.failNext > 0) {
      holder.failNext--;
      return { status: 500 };
    }
    return { status: accepts(holder.secret, request) ? 200 : 401 };
  });
  const server = await startTestServer({ allowHttp: true, retrySchedule: options.retrySchedule ?? [0] });
  cleanups.push(
    () => receiver.close(),
    () => server.stop(),
  );
  const created = await server.api(
    'POST',
    '/v1/webhooks',
    webhookInput(receiver.url, { events: ['chat'], secret: oldSecret }),
  );
  expect(created.status).toBe(201);
  const webhook = created.body;
  const trigger = async (id: string) => {
    expect((await server.api('POST', '/v1/events', { type: 'chat', id })).status).toBe(202);
  };
  const settled = (eventId: string) =>
    eventually(async () => {
      const { body } = await server.api('GET', `/v1/deliveries?webhook_id=${webhook.id}`);
      const delivery = body.data.find((each: { event_id: string }) => each.event_id === eventId);
      return delivery && ['succeeded', 'failed'].includes(delivery.status) ? delivery : undefined;
    });
  return { oldSecret, holder, receiver, server, webhook, trigger, settled };
}

describe('PUT /v1/webhooks/:id/secret', () => {
  it('signs with the new secret first and the old one second during the grace period: receivers holding either accept', async () => {
    const { oldSecret, holder, receiver, server, webhook, trigger, settled } = await setup();
    const newSecret = generateSecret();
    const before = Date.now();
    const answer = await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`, {
      secret: newSecret,
      grace_period_seconds: 3600,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(webhook.id);
    const expiresAt = Date.parse(answer.body.secret_rotation.previous_secret_expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(answer.body.secret_rotation.previous_secret_hint).toBe(webhook.secret_hint);
    // Neither secret is ever shown in full by the webhook's answers.
    expect(JSON.stringify(answer.body)).not.toContain(oldSecret.slice(6, 20));
    expect(JSON.stringify(answer.body)).not.toContain(newSecret.slice(6, 20));
    expect((await server.api('GET', `/v1/webhooks/${webhook.id}/secret`)).body).toEqual({
      secret: newSecret,
    });
    expect((await server.api('GET', `/v1/webhooks/${webhook.id}`)).body.secret_rotation).toEqual(
      answer.body.secret_rotation,
    );

    await trigger('evt_during_grace');
    const [request] = await receiver.waitFor(1);
    if (!request) throw new Error('no request arrived');
    expect(signaturesOf(request)).toEqual([
      signatureWith(newSecret, request),
      signatureWith(oldSecret, request),
    ]);
    expect(accepts(oldSecret, request)).toBe(true);
    expect(accepts(newSecret, request)).toBe(true);
    expect((await settled('evt_during_grace')).status).toBe('succeeded');

    // Redeployed with only the new secret, the receiver still accepts.
    holder.secret = newSecret;
    await trigger('evt_after_redeploy');
    await receiver.waitFor(2);
    expect((await settled('evt_after_redeploy')).status).toBe('succeeded');
  });

  it('signs with the new secret only once the grace period is over: a receiver holding only the old one refuses', async () => {
    const { oldSecret, receiver, server, webhook, trigger, settled } = await setup();
    const newSecret = generateSecret();
    const answer = await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`, {
      secret: newSecret,
      grace_period_seconds: 1,
    });
    expect(answer.body.secret_rotation).not.toBeNull();
    const expiresAt = Date.parse(answer.body.secret_rotation.previous_secret_expires_at);
    // The rotation disappears from the webhook once it is over.
    await eventually(async () => {
      const { body } = await server.api('GET', `/v1/webhooks/${webhook.id}`);
      return body.secret_rotation === null ? true : undefined;
    }, 5_000);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);

    await trigger('evt_after_grace');
    const [request] = await receiver.waitFor(1);
    if (!request) throw new Error('no request arrived');
    expect(signaturesOf(request)).toEqual([signatureWith(newSecret, request)]);
    expect(accepts(oldSecret, request)).toBe(false);
    expect(accepts(newSecret, request)).toBe(true);
    const delivery = await settled('evt_after_grace');
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts[0].status_code).toBe(401);
  });

  it('signs retries and manual retries during the grace period with both secrets too', async () => {
    const { oldSecret, holder, receiver, server, webhook, trigger, settled } = await setup({
      retrySchedule: [0, 0.05],
    });
    const newSecret = generateSecret();
    await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`, {
      secret: newSecret,
      grace_period_seconds: 600,
    });
    holder.failNext = 1;
    await trigger('evt_retried');
    await receiver.waitFor(2);
    const delivery = await settled('evt_retried');
    expect(delivery.attempts.map((attempt: { status_code: number }) => attempt.status_code)).toEqual([
      500, 200,
    ]);
    expect((await server.api('POST', `/v1/deliveries/${delivery.id}/retry`, {})).status).toBe(202);
    const requests = await receiver.waitFor(3);
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(signaturesOf(request)).toEqual([
        signatureWith(newSecret, request),
        signatureWith(oldSecret, request),
      ]);
    }
  });

  it('keeps only the newest previous secret when rotated again during a grace period', async () => {
    const { oldSecret, receiver, server, webhook, trigger } = await setup();
    const secondSecret = generateSecret();
    const thirdSecret = generateSecret();
    await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`, {
      secret: secondSecret,
      grace_period_seconds: 600,
    });
    const answer = await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`, {
      secret: thirdSecret,
      grace_period_seconds: 60,
    });
    expect(answer.status).toBe(200);
    const expiresAt = Date.parse(answer.body.secret_rotation.previous_secret_expires_at);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
    await trigger('evt_second_rotation');
    const [request] = await receiver.waitFor(1);
    if (!request) throw new Error('no request arrived');
    expect(signaturesOf(request)).toEqual([
      signatureWith(thirdSecret, request),
      signatureWith(secondSecret, request),
    ]);
    expect(accepts(oldSecret, request)).toBe(false);
  });

  it('generates the new secret when none is given and keeps the old one 24 hours by default', async () => {
    const { oldSecret, server, webhook } = await setup();
    const before = Date.now();
    const answer = await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`);
    expect(answer.status).toBe(200);
    const expiresAt = Date.parse(answer.body.secret_rotation.previous_secret_expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 86_400_000);
    const { secret } = (await server.api('GET', `/v1/webhooks/${webhook.id}/secret`)).body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secret).not.toBe(oldSecret);
  });

  it('switches at once with grace_period_seconds: 0, and so does PATCH with a secret', async () => {
    const { oldSecret, receiver, server, webhook, trigger } = await setup();
    const secondSecret = generateSecret();
    const answer = await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`, {
      secret: secondSecret,
      grace_period_seconds: 0,
    });
    expect(answer.body.secret_rotation).toBeNull();
    await trigger('evt_switched');
    const [first] = await receiver.waitFor(1);
    if (!first) throw new Error('no request arrived');
    expect(signaturesOf(first)).toEqual([signatureWith(secondSecret, first)]);
    expect(accepts(oldSecret, first)).toBe(false);

    // PATCH ends a rotation in progress: its secret replaces every other at once.
    await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`, { grace_period_seconds: 600 });
    const thirdSecret = generateSecret();
    const patched = await server.api('PATCH', `/v1/webhooks/${webhook.id}`, { secret: thirdSecret });
    expect(patched.status).toBe(200);
    expect(patched.body.secret_rotation).toBeNull();
    await trigger('evt_patched');
    const requests = await receiver.waitFor(2);
    const second = requests[1] as Received;
    expect(signaturesOf(second)).toEqual([signatureWith(thirdSecret, second)]);
  });

  it('keeps a rotation in progress across a restart on the same database', async () => {
    const { server, webhook } = await setup();
    const answer = await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`, {
      grace_period_seconds: 600,
    });
    await server.close();
    const again = await startTestServer({ allowHttp: true, db: `${server.dir}/mock.db` });
    cleanups.push(() => again.stop());
    const { body } = await again.api('GET', `/v1/webhooks/${webhook.id}`);
    expect(body.secret_rotation).toEqual(answer.body.secret_rotation);
  });

  it.each([
    [{ grace_period_seconds: -1 }, 'grace_period_seconds', '0 (switch at once) or more'],
    [{ grace_period_seconds: 604_801 }, 'grace_period_seconds', 'at most 604800 (7 days)'],
    [{ grace_period_seconds: 1.5 }, 'grace_period_seconds', 'whole number of seconds'],
    [{ grace_period_seconds: '3600' }, 'grace_period_seconds', 'must be a number of seconds'],
    [{ secret: 'not a secret' }, 'secret', ''],
    [{ grace: 60 }, 'grace', 'not a known field'],
  ])('refuses %j with a 400 naming the field', async (body, field, message) => {
    const { server, webhook } = await setup();
    const answer = await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`, body);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation_failed');
    expect(answer.body.details).toEqual([{ field, message: expect.stringContaining(message) }]);
  });

  it('refuses the current secret as the new one, and an unknown webhook', async () => {
    const { oldSecret, server, webhook } = await setup();
    const same = await server.api('PUT', `/v1/webhooks/${webhook.id}/secret`, { secret: oldSecret });
    expect(same.status).toBe(400);
    expect(same.body.details).toEqual([
      { field: 'secret', message: expect.stringContaining('already the current secret') },
    ]);
    const missing = await server.api('PUT', '/v1/webhooks/wh_missing/secret', {});
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
  });
});
