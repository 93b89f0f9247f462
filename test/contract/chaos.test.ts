import { generateSecret } from '@caleida/verify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CountingReceiver, startCountingReceiver } from './support/start-counting-receiver.js';
import { type MockServerProcess, startMockServerProcess } from './support/start-mock-server-process.js';

const DUPLICATE_SENT = 'chaos: sending a duplicate';

describe('a receiver with the replay store under duplicate and reordered deliveries', () => {
  let server: MockServerProcess;
  let receiver: CountingReceiver;
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
    receiver = await startCountingReceiver({ secret });
    const { client } = server;
    const webhook = await client.webhooks.create({
      name: 'chaos',
      url: receiver.url,
      secret,
      events: ['message', 'chat'],
    });

    const ids: string[] = [];
    for (let i = 0; i < 40; i++)
      ids.push((await client.events.trigger(i % 4 === 0 ? 'chat' : 'message')).event.id);
    const succeeded = await client.deliveries.waitFor({
      webhookId: webhook.id,
      status: 'succeeded',
      count: 40,
      timeoutMs: 15_000,
    });
    expect((await client.deliveries.list({ webhookId: webhook.id, limit: 1000 })).data).toHaveLength(40);
    const attempts = succeeded.reduce((sum, delivery) => sum + delivery.attempts.length, 0);
    // The server logs each duplicate before it sends it: every one of them has arrived once the
    // receiver answered one request per recorded attempt plus one per logged duplicate.
    await vi.waitFor(() => expect(receiver.answered).toBe(attempts + server.logged(DUPLICATE_SENT)), {
      timeout: 10_000,
      interval: 20,
    });

    expect(receiver.requests).toBeGreaterThan(40);
    expect([...receiver.runs.keys()].sort()).toEqual([...ids].sort());
    expect([...receiver.runs.values()].every((count) => count === 1)).toBe(true);
  });
});
