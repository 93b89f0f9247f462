import { createServer } from 'node:http';
import { caleidaWebhook } from '@caleida/express-middleware';
import { generateSecret } from '@caleida/verify';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningReceiver } from '../../examples/lib/listen.js';
import type { Delivery } from './support/mock-api.js';
import { type MockServerProcess, startMockServerProcess } from './support/start-mock-server-process.js';
import { waitUntil } from './support/wait-until.js';

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
    const webhook = await server.api.addWebhook({
      name: 'flaky',
      url: receiver.url,
      secret,
      events: ['chat', 'message'],
    });

    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await server.api.trigger(i % 2 ? 'chat' : 'message'));
    await waitUntil('every event was processed', () => ids.every((id) => processed.has(id)));
    for (const id of ids) expect(attempts.get(id)).toBe(3);
    // The receiver processes an event before the server has written down its answer.
    let deliveries: Delivery[] = [];
    await waitUntil('every delivery was settled', async () => {
      deliveries = await server.api.deliveries({ webhook_id: webhook.id });
      return deliveries.every((delivery) => !['pending', 'in_flight'].includes(delivery.status));
    });
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
    const webhook = await server.api.addWebhook({
      name: 'doomed',
      url: receiver.url,
      secret,
      events: ['message'],
    });
    for (let i = 0; i < 5; i++) await server.api.trigger('message');
    await waitUntil('a first attempt of every delivery was made', async () => {
      const deliveries = await server.api.deliveries({ webhook_id: webhook.id });
      return deliveries.length === 5 && deliveries.every((delivery) => delivery.attempts.length >= 1);
    });

    await server.api.deleteWebhook(webhook.id);
    deleted = true;
    // A witness webhook made after the delete, failing the same way, runs through the whole retry
    // schedule: once its deliveries failed for good, every retry of the deleted one was due long before.
    const witness = express();
    witness.post('/webhooks/caleida', caleidaWebhook({ secret }), (_req, res) => {
      res.sendStatus(503);
    });
    const witnessReceiver = await listen(createServer(witness), 0);
    receivers.push(witnessReceiver);
    const witnessWebhook = await server.api.addWebhook({
      name: 'witness',
      url: witnessReceiver.url,
      secret,
      events: ['message'],
    });
    for (let i = 0; i < 3; i++) await server.api.trigger('message');
    await waitUntil('the witness deliveries failed after every retry', async () => {
      const deliveries = await server.api.deliveries({ webhook_id: witnessWebhook.id });
      return deliveries.length === 3 && deliveries.every((delivery) => delivery.status === 'failed');
    });
    expect(callsAfterDelete).toBe(0);
  });
});
