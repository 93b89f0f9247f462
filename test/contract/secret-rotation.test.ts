import { createServer } from 'node:http';
import { caleidaWebhook } from '@caleida/express-middleware';
import { generateSecret } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningReceiver } from '../../examples/lib/listen.js';
import type { Delivery } from './support/mock-api.js';
import { type MockServerProcess, startMockServerProcess } from './support/start-mock-server-process.js';
import { waitUntil } from './support/wait-until.js';

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
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const seen = new Set<string>();
    const during = await startReceiver([oldSecret, newSecret], seen);
    receivers.push(during);
    const webhook = await server.api.addWebhook({
      name: 'rotating',
      url: during.url,
      secret: oldSecret,
      events: ['message'],
    });

    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 15) await server.api.editWebhook(webhook.id, { secret: newSecret });
      ids.push(await server.api.trigger('message'));
    }
    await waitUntil('all 30 events arrived', () => ids.every((id) => seen.has(id)));
    // The receiver sees an event before the server has written down its answer.
    let deliveries: Delivery[] = [];
    await waitUntil('every delivery was settled', async () => {
      deliveries = (await server?.api.deliveries({ webhook_id: webhook.id })) ?? [];
      return deliveries.every((delivery) => !['pending', 'in_flight'].includes(delivery.status));
    });
    expect(deliveries.every((delivery) => delivery.status === 'succeeded')).toBe(true);

    // The rotation is over: the receiver keeps only the new secret.
    const after = await startReceiver(newSecret, seen);
    receivers.push(after);
    await server.api.editWebhook(webhook.id, { url: after.url });
    const lastId = await server.api.trigger('message');
    await waitUntil('the event signed with the new secret arrived', () => seen.has(lastId));
    const forged = signedRequest({ secret: oldSecret, event: buildEvent('message') });
    const response = await fetch(after.url, { method: 'POST', headers: forged.headers, body: forged.body });
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe('no_matching_signature');
    expect(seen.has(forged.id)).toBe(false);
  });
});
