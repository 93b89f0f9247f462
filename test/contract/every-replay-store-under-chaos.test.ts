import { createServer } from 'node:http';
import { caleidaWebhook } from '@caleida/express-middleware';
import { createReceiver, generateSecret } from '@caleida/verify';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { listen, type RunningReceiver } from '../../examples/lib/listen.js';
import type { StoreUnderTest } from '../replay-stores/replay-store-contract.js';
import { everyStore } from '../replay-stores/stores.js';
import { type MockServerProcess, startMockServerProcess } from './support/start-mock-server-process.js';

const DUPLICATE_SENT = 'chaos: sending a duplicate';

// One mock server for every store: each test has its own webhook, deleted when it ends.
let server: MockServerProcess;
beforeAll(async () => {
  server = await startMockServerProcess(['--chaos-duplicate', '0.5', '--chaos-reorder'], {
    logLevel: 'info',
  });
});
afterAll(async () => {
  await server?.stop();
});

describe.each(everyStore)(
  'a receiver on the $name, fed by the mock server with chaos duplicates',
  (factory) => {
    let receiver: RunningReceiver | undefined;
    let opened: StoreUnderTest | undefined;
    let webhookId: string | undefined;
    afterEach(async () => {
      if (webhookId) await server.client.webhooks.delete(webhookId);
      await receiver?.close();
      await opened?.close();
    });

    it('runs each handler exactly once per event id', async () => {
      opened = await factory.open(`chaos_${Date.now().toString(36)}_`);
      const duplicatesBefore = server.logged(DUPLICATE_SENT);
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
      const dispatcher = createReceiver({ secret, replayStore: opened.store }).onAny((event) => {
        runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
      });
      app.post('/webhooks/caleida', caleidaWebhook({ receiver: dispatcher }));
      receiver = await listen(createServer(app), 0);
      ({ id: webhookId } = await server.client.webhooks.create({
        name: 'chaos',
        url: receiver.url,
        secret,
        events: ['message', 'chat'],
      }));

      const ids: string[] = [];
      for (let i = 0; i < 40; i++)
        ids.push((await server.client.events.trigger(i % 4 === 0 ? 'chat' : 'message')).event.id);
      const succeeded = await server.client.deliveries.waitFor({
        webhookId,
        status: 'succeeded',
        count: 40,
        timeoutMs: 15_000,
      });
      expect((await server.client.deliveries.list({ webhookId, limit: 1000 })).data).toHaveLength(40);
      const attempts = succeeded.reduce((sum, delivery) => sum + delivery.attempts.length, 0);
      // The server logs each duplicate before it sends it: every one of them has arrived once the
      // receiver answered one request per recorded attempt plus one per logged duplicate.
      await vi.waitFor(
        () => expect(answered).toBe(attempts + server.logged(DUPLICATE_SENT) - duplicatesBefore),
        { timeout: 10_000, interval: 20 },
      );

      expect(requests).toBeGreaterThan(40);
      expect([...runs.keys()].sort()).toEqual([...ids].sort());
      expect([...runs.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    });
  },
);
