import { createServer } from 'node:http';
import { caleidaWebhook } from '@caleida/express-middleware';
import { createReceiver, generateSecret } from '@caleida/verify';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningReceiver } from '../../examples/lib/listen.js';
import { type MockServerProcess, startMockServerProcess } from './support/start-mock-server-process.js';
import { waitUntil } from './support/wait-until.js';

const DUPLICATE_SENT = 'chaos: sending a duplicate';

describe('a receiver with the replay store under duplicate and reordered deliveries', () => {
  let server: MockServerProcess;
  let receiver: RunningReceiver;
  beforeAll(async () => {
    server = await startMockServerProcess(['--chaos-duplicate', '0.5', '--chaos-reorder'], {
      logLevel: 'info',
    });
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.stop();
  });

  it('runs each handler exactly once per event id', async () => {
    const secret = generateSecret();
    const runs = new Map<string, number>();
    let requests = 0;
    let answered = 0;
    const app = express();
    app.use((_req, res, next) => {
      requests++;
      res.once('close', () => answered++);
      next();
    });
    const dispatcher = createReceiver({ secret }).onAny((event) => {
      runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
    });
    app.post('/webhooks/caleida', caleidaWebhook({ receiver: dispatcher }));
    receiver = await listen(createServer(app), 0);
    await server.api.addWebhook({ name: 'chaos', url: receiver.url, secret, events: ['message', 'chat'] });

    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await server.api.trigger(i % 4 === 0 ? 'chat' : 'message'));
    let attempts = 0;
    await waitUntil('every delivery succeeded', async () => {
      const deliveries = await server.api.deliveries({});
      attempts = deliveries.reduce((sum, delivery) => sum + delivery.attempts.length, 0);
      return deliveries.length === 40 && deliveries.every((delivery) => delivery.status === 'succeeded');
    });
    // The server logs each duplicate before it sends it: every one of them has arrived once the
    // receiver answered one request per recorded attempt plus one per logged duplicate.
    await waitUntil('every duplicate arrived', () => answered === attempts + server.logged(DUPLICATE_SENT));

    expect(requests).toBeGreaterThan(40);
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
  });
});
