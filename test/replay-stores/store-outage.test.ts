import { generateSecret } from '@caleida/verify';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createEffectsTable, type EffectsTable } from './support/effects-table.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { sendEvent } from './support/send-event.js';
import { type ReceiverProcess, startReceiverProcess } from './support/start-receiver-process.js';

describe.each(['redis', 'ioredis'])(
  'a receiver on Redis (%s client) while redis-server stops and restarts',
  (client) => {
    const tag = `outage_${client}_${Date.now().toString(36)}`;
    const secret = generateSecret();
    let redis: RedisServer;
    let receiver: ReceiverProcess;
    let effects: EffectsTable;

    beforeAll(async () => {
      redis = await startRedisServer();
      effects = await createEffectsTable(inject('postgresUrl'));
      receiver = await startReceiverProcess({
        RECEIVER_FRAMEWORK: 'express',
        RECEIVER_STORE: client,
        RECEIVER_SECRET: secret,
        STORE_URL: redis.url,
        STORE_PREFIX: `${tag}:`,
        EFFECTS_URL: inject('postgresUrl'),
        EFFECTS_TABLE: effects.name,
      });
    }, 60_000);
    afterAll(async () => {
      await receiver?.kill('SIGKILL');
      await redis?.stop();
      await effects?.close();
    });

    it('answers 503 with Retry-After and runs nothing while it is down, then recovers by itself', async () => {
      expect((await sendEvent(receiver.url, secret, 'msg_before')).status).toBe(200);

      await redis.stop();
      for (const id of ['msg_during_1', 'msg_during_2', 'msg_during_3']) {
        const response = await sendEvent(receiver.url, secret, id);
        expect(response.status).toBe(503);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await response.json()).toMatchObject({ code: 'replay_store_unavailable' });
      }
      expect(await effects.runsById()).toEqual(new Map([['msg_before', 1]]));

      await redis.start();
      await vi.waitFor(
        async () => expect((await sendEvent(receiver.url, secret, 'msg_during_1')).status).toBe(200),
        { timeout: 15_000, interval: 100 },
      );
      expect(await effects.runsById()).toEqual(
        new Map([
          ['msg_before', 1],
          ['msg_during_1', 1],
        ]),
      );
      // One line when it failed, one when it came back, however many requests came in between.
      expect(receiver.output().match(/replay store failed/g)).toHaveLength(1);
      await receiver.printed('replay store answers again', 2_000);
    }, 30_000);
  },
);
