import { generateSecret } from '@caleida/verify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StoreUnderTest } from '../replay-stores/replay-store-contract.js';
import { everyStore } from '../replay-stores/stores.js';
import { type CountingReceiver, startCountingReceiver } from './support/start-counting-receiver.js';
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
    let receiver: CountingReceiver | undefined;
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
      const counting = await startCountingReceiver({ secret, replayStore: opened.store });
      receiver = counting;
      ({ id: webhookId } = await server.client.webhooks.create({
        name: 'chaos',
        url: counting.url,
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
        () => expect(counting.answered).toBe(attempts + server.logged(DUPLICATE_SENT) - duplicatesBefore),
        { timeout: 10_000, interval: 20 },
      );

      expect(counting.requests).toBeGreaterThan(40);
      expect([...counting.runs.keys()].sort()).toEqual([...ids].sort());
      expect([...counting.runs.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    });
  },
);
