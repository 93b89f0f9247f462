import { createServer } from 'node:http';
import { caleidaWebhook } from '@caleida/express-middleware';
import { generateSecret } from '@caleida/verify';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listen, type RunningReceiver } from '../../examples/lib/listen.js';
import { type MockServerProcess, startMockServerProcess } from './support/start-mock-server-process.js';

describe('receivers that fail, and one that is deleted', () => {
  let server: MockServerProcess;
  const receivers: RunningReceiver[] = [];
  beforeAll(async () => {
    server = await startMockServerProcess();
  });
  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await server?.stop();
  });

  it('a receiver that answers 500 at first still gets every event through retries', async () => {
    const secret = generateSecret();
    const attempts = new Map<string, number>();
    const processed = new Set<string>();
    const app = express();
    app.post('/webhooks/caleida', caleidaWebhook({ secret }), (req, res) => {
      const count = (attempts.get(req.webhook.id) ?? 0) + 1;
      attempts.set(req.webhook.id, count);
      if (count <= 2) {
        res.status(500).json({ error: 'database unavailable' });
        return;
      }
      processed.add(req.webhook.id);
      res.sendStatus(204);
    });
    const receiver = await listen(createServer(app), 0);
    receivers.push(receiver);
    const { client } = server;
    const webhook = await client.webhooks.create({
      name: 'flaky',
      url: receiver.url,
      secret,
      events: ['chat', 'message'],
    });

    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await client.events.trigger(i % 2 ? 'chat' : 'message')).event.id);
    await client.deliveries.waitFor({
      webhookId: webhook.id,
      status: 'succeeded',
      count: 10,
      timeoutMs: 15_000,
    });
    expect(ids.filter((id) => !processed.has(id))).toEqual([]);
    for (const id of ids) expect(attempts.get(id)).toBe(3);
    const { data: deliveries } = await client.deliveries.list({ webhookId: webhook.id, limit: 1000 });
    expect(deliveries).toHaveLength(10);
    for (const delivery of deliveries) {
      expect(delivery.status).toBe('succeeded');
      expect(delivery.attempts.map((attempt) => attempt.status_code)).toEqual([500, 500, 204]);
    }
  });

  it('a webhook deleted mid-run gets no further calls, even for deliveries already scheduled', async () => {
    const secret = generateSecret();
    let callsAfterDelete = 0;
    let deleted = false;
    const app = express();
    app.post('/webhooks/caleida', caleidaWebhook({ secret }), (_req, res) => {
      if (deleted) callsAfterDelete++;
      // Always failing: every delivery keeps a retry scheduled when the webhook is deleted.
      res.sendStatus(503);
    });
    const receiver = await listen(createServer(app), 0);
    receivers.push(receiver);
    const { client } = server;
    const webhook = await client.webhooks.create({
      name: 'doomed',
      url: receiver.url,
      secret,
      events: ['message'],
    });
    for (let i = 0; i < 5; i++) await client.events.trigger('message');
    // No status tells a delivery whose first attempt failed from one not yet tried: both are pending.
    await vi.waitFor(
      async () => {
        const { data: deliveries } = await client.deliveries.list({ webhookId: webhook.id });
        expect(deliveries.filter((delivery) => delivery.attempts.length >= 1)).toHaveLength(5);
      },
      { timeout: 15_000, interval: 50 },
    );

    await client.webhooks.delete(webhook.id);
    deleted = true;
    // A witness webhook made after the delete, failing the same way, runs through the whole retry
    // schedule: once its deliveries failed for good, every retry of the deleted one was due long before.
    const witness = express();
    witness.post('/webhooks/caleida', caleidaWebhook({ secret }), (_req, res) => {
      res.sendStatus(503);
    });
    const witnessReceiver = await listen(createServer(witness), 0);
    receivers.push(witnessReceiver);
    const witnessWebhook = await client.webhooks.create({
      name: 'witness',
      url: witnessReceiver.url,
      secret,
      events: ['message'],
    });
    for (let i = 0; i < 3; i++) await client.events.trigger('message');
    await client.deliveries.waitFor({
      webhookId: witnessWebhook.id,
      status: 'failed',
      count: 3,
      timeoutMs: 15_000,
    });
    expect(callsAfterDelete).toBe(0);
  });
});
