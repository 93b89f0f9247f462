import { createServer } from 'node:http';
import { caleidaWebhook } from '@caleida/express-middleware';
import { generateSecret } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningReceiver } from '../../examples/lib/listen.js';
import { type MockServerProcess, startMockServerProcess } from './support/start-mock-server-process.js';

function startReceiver(secret: string | string[], seen: Set<string>): Promise<RunningReceiver> {
  const app = express();
  app.post('/webhooks/caleida', caleidaWebhook({ secret }), (req, res) => {
    seen.add(req.webhook.id);
    res.sendStatus(204);
  });
  return listen(createServer(app), 0);
}

describe('secret rotation end to end', () => {
  let server: MockServerProcess | undefined;
  const receivers: RunningReceiver[] = [];
  beforeAll(async () => {
    server = await startMockServerProcess();
  });
  afterAll(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
    await server?.stop();
  });

  it('loses nothing while the secret changes, and afterwards the old secret is refused', async () => {
    if (!server) throw new Error('the mock server did not start');
    const { client } = server;
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const seen = new Set<string>();
    const during = await startReceiver([oldSecret, newSecret], seen);
    receivers.push(during);
    const webhook = await client.webhooks.create({
      name: 'rotating',
      url: during.url,
      secret: oldSecret,
      events: ['message'],
    });

    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 15) await client.webhooks.update(webhook.id, { secret: newSecret });
      ids.push((await client.events.trigger('message')).event.id);
    }
    await client.deliveries.waitFor({
      webhookId: webhook.id,
      status: 'succeeded',
      count: 30,
      timeoutMs: 15_000,
    });
    expect(ids.filter((id) => !seen.has(id))).toEqual([]);
    const { data: deliveries } = await client.deliveries.list({ webhookId: webhook.id, limit: 1000 });
    expect(deliveries).toHaveLength(30);
    expect(deliveries.every((delivery) => delivery.status === 'succeeded')).toBe(true);

    // The rotation is over: the receiver keeps only the new secret.
    const after = await startReceiver(newSecret, seen);
    receivers.push(after);
    await client.webhooks.update(webhook.id, { url: after.url });
    const lastId = (await client.events.trigger('message')).event.id;
    await client.deliveries.waitFor({ eventId: lastId, status: 'succeeded', timeoutMs: 15_000 });
    expect(seen.has(lastId)).toBe(true);
    const forged = signedRequest({ secret: oldSecret, event: buildEvent('message') });
    const response = await fetch(after.url, { method: 'POST', headers: forged.headers, body: forged.body });
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe('no_matching_signature');
    expect(seen.has(forged.id)).toBe(false);
  });
});
