import type { Server } from 'node:http';
import { caleidaWebhook } from '@caleida/express-middleware';
import { createRedisReplayStore } from '@caleida/replay-store-redis';
import { createReceiver, generateSecret, type Receiver } from '@caleida/verify';
import express from 'express';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { sendEvent } from './support/send-event.js';

const secret = generateSecret();

describe('a receiver on Redis while redis-server stops and starts again', () => {
  let redis: RedisServer;
  let client: ReturnType<typeof createClient>;
  const servers: Server[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    // No offline queue: while Redis is down a claim fails at once rather than landing after restart.
    client = createClient({
      url: redis.url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: () => 50 },
    });
    client.on('error', () => {});
    await client.connect();
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    client.destroy();
    await redis.stop();
  });

  async function serve(options: Partial<Parameters<typeof createReceiver>[0]>) {
    const logs: string[] = [];
    const handled: string[] = [];
    const receiver: Receiver = createReceiver({
      secret,
      replayStore: createRedisReplayStore({ client, keyPrefix: `guard-${Date.now()}-${servers.length}:` }),
      replayStoreTimeoutMs: 300,
      logger: { error: (message: string) => logs.push(message) },
      ...options,
    }).onAny((event) => {
      handled.push(event.id);
    });
    const app = express().post('/', caleidaWebhook({ receiver }));
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    return { url, logs, handled };
  }

  it('answers 503 replay_store_unavailable with Retry-After and runs nothing, logs once, and recovers by itself', async () => {
    const closed = await serve({});
    const open = await serve({ onReplayStoreError: 'fail-open' });
    expect((await sendEvent(closed.url, secret, 'evt_before')).status).toBe(200);
    expect(closed.handled).toEqual(['evt_before']);

    await redis.stop();
    for (const id of ['evt_a', 'evt_b', 'evt_a']) {
      const response = await sendEvent(closed.url, secret, id);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await response.json()).toMatchObject({ code: 'replay_store_unavailable' });
    }
    expect(closed.handled).toEqual(['evt_before']);
    expect(closed.logs.filter((line) => line.includes('replay store failed'))).toHaveLength(1);
    // Fail-open runs the handler without protection instead.
    expect((await sendEvent(open.url, secret, 'evt_open')).status).toBe(200);
    expect(open.handled).toEqual(['evt_open']);

    await redis.start();
    await vi.waitFor(
      async () => {
        const { status } = await sendEvent(closed.url, secret, 'evt_a');
        if (status !== 200) throw new Error(`still ${status} 10 s after redis-server came back`);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect((await sendEvent(closed.url, secret, 'evt_b')).status).toBe(200);
    const duplicate = await sendEvent(closed.url, secret, 'evt_a');
    expect(await duplicate.json()).toMatchObject({ duplicate: true });
    expect(closed.handled).toEqual(['evt_before', 'evt_a', 'evt_b']);
    expect(closed.logs.filter((line) => line.includes('replay store failed'))).toHaveLength(1);
    expect(
      closed.logs.filter((line) => line.includes('store answers again')),
      closed.logs.join('\n'),
    ).toHaveLength(1);
  });

  it('treats a store slower than replayStoreTimeoutMs as down', async () => {
    const slow = await serve({ replayStoreTimeoutMs: 50 });
    const blocker = client.duplicate();
    blocker.on('error', () => {});
    await blocker.connect();
    try {
      // CLIENT PAUSE holds every other client's commands, so each claim in that time misses its deadline.
      await blocker.sendCommand(['CLIENT', 'PAUSE', '500', 'ALL']);
      const response = await sendEvent(slow.url, secret, 'evt_slow');
      expect(response.status).toBe(503);
      expect(slow.handled).toEqual([]);
    } finally {
      blocker.destroy();
    }
  });

  it('refuses replay options that would let retries through or never time out, naming the option', () => {
    const store = createRedisReplayStore({ client });
    expect(() => createReceiver({ secret, replayStore: store, replayRetentionSeconds: 60 })).toThrow(
      /replayRetentionSeconds must be .* at least 600/,
    );
    expect(() => createReceiver({ secret, replayStore: store, replayLeaseSeconds: 0 })).toThrow(
      /replayLeaseSeconds/,
    );
    expect(() => createReceiver({ secret, replayStore: store, replayStoreTimeoutMs: -1 })).toThrow(
      /replayStoreTimeoutMs/,
    );
    expect(() =>
      createReceiver({ secret, replayStore: store, onReplayStoreError: 'retry' as never }),
    ).toThrow(/onReplayStoreError must be 'fail-closed' or 'fail-open'/);
    expect(() => createReceiver({ secret, replayStore: { claim: () => {} } as never })).toThrow(
      /replayStore must have claim/,
    );
  });
});
