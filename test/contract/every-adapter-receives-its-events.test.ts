import { EVENT_TYPES, type EventType, generateSecret, type ReceivedEvent } from '@caleida/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExpressReceiver } from '../../examples/express-receiver.js';
import { startFastifyReceiver } from '../../examples/fastify-receiver.js';
import { startFetchReceiver } from '../../examples/fetch-receiver.js';
import { startKoaReceiver } from '../../examples/koa-receiver.js';
import type { RunningReceiver } from '../../examples/lib/listen.js';
import type { ExampleOptions } from '../../examples/lib/run-example.js';
import { type MockServerProcess, startMockServerProcess } from './support/start-mock-server-process.js';

const receivers: {
  name: string;
  start: (options: ExampleOptions) => Promise<RunningReceiver>;
  events: EventType[];
}[] = [
  { name: 'express', start: startExpressReceiver, events: [...EVENT_TYPES] },
  { name: 'koa', start: startKoaReceiver, events: ['chat', 'message'] },
  {
    name: 'fastify',
    start: startFastifyReceiver,
    events: ['insight.summary', 'insight.topic', 'insight.key', 'insight.conversation', 'insight.sentiment'],
  },
  { name: 'fetch', start: startFetchReceiver, events: ['message', 'insight.sentiment'] },
];

describe('the mock server delivers to a receiver built with every adapter', () => {
  let server: MockServerProcess;
  const running: RunningReceiver[] = [];
  const received = new Map<string, ReceivedEvent[]>(receivers.map(({ name }) => [name, []]));
  const triggered = new Map<EventType, string>();
  const webhooks: { id: string; count: number }[] = [];

  beforeAll(async () => {
    server = await startMockServerProcess();
    for (const receiver of receivers) {
      const secret = generateSecret();
      const started = await receiver.start({
        secret,
        port: 0,
        onEvent: (event) => void received.get(receiver.name)?.push(event),
      });
      running.push(started);
      const webhook = await server.client.webhooks.create({
        name: receiver.name,
        url: started.url,
        secret,
        events: receiver.events,
      });
      webhooks.push({ id: webhook.id, count: receiver.events.length });
    }
    for (const type of EVENT_TYPES) triggered.set(type, (await server.client.events.trigger(type)).event.id);
    for (const { id, count } of webhooks)
      await server.client.deliveries.waitFor({
        webhookId: id,
        status: 'succeeded',
        count,
        timeoutMs: 15_000,
      });
  });

  afterAll(async () => {
    await Promise.all(running.map((receiver) => receiver.close()));
    await server?.stop();
  });

  it.each(receivers)(
    '$name gets every event it subscribed to, typed and verified, and none it did not',
    ({ name, events }) => {
      const got = received.get(name) ?? [];
      expect(got.map((event) => event.type).sort()).toEqual([...events].sort());
      for (const event of got) {
        expect(event.id).toBe(triggered.get(event.type as EventType));
        expect(Date.parse(event.timestamp)).not.toBeNaN();
        expect(event.data).toEqual(expect.objectContaining({ id: expect.any(String) }));
      }
    },
  );

  it('records one succeeded delivery per subscription, with one 2xx attempt each', async () => {
    const { data: deliveries } = await server.client.deliveries.list({ limit: 1000 });
    expect(deliveries).toHaveLength(receivers.reduce((total, receiver) => total + receiver.events.length, 0));
    for (const delivery of deliveries) {
      expect(delivery.status).toBe('succeeded');
      expect(delivery.attempts.at(-1)?.status_code).toBeGreaterThanOrEqual(200);
      expect(delivery.attempts.at(-1)?.status_code).toBeLessThan(300);
    }
  });
});
