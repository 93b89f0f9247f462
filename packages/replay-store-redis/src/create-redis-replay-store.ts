import { randomBytes } from 'node:crypto';
import type { ReplayClaim, ReplayStore } from '@caleida/verify';
import { type RedisClientLike, toScriptRunner } from './redis-client.js';
import { CLAIM, COMPLETE, RELEASE } from './redis-scripts.js';

/** Options of `createRedisReplayStore()`. */
export interface RedisReplayStoreOptions {
  /**
   * Your connected client: node-redis 5 (`await createClient({ url }).connect()`) or ioredis 5
   * (`new Redis(url)`), single node or cluster. The store never connects or closes it.
   */
  client: RedisClientLike;
  /** Put before every event id to make its key. Default `'caleida:replay:'`. */
  keyPrefix?: string;
}

const IN_FLIGHT: ReplayClaim = Object.freeze({ state: 'in_flight' });
const PROCESSED: ReplayClaim = Object.freeze({ state: 'processed' });

const toMs = (seconds: number) => String(Math.max(1, Math.ceil(seconds * 1000)));

/**
 * A replay store in Redis, shared by every instance of your receiver: one key per event id,
 * holding the claim's token for the lease, then `processed` for the retention. Each operation is
 * one Lua script on one key, so it is atomic and safe on Redis Cluster.
 *
 * @example
 * import { createClient } from 'redis';
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * app.post('/webhooks', caleidaWebhook({ secret, replayStore: createRedisReplayStore({ client }) }));
 */
export function createRedisReplayStore({
  client,
  keyPrefix = 'caleida:replay:',
}: RedisReplayStoreOptions): ReplayStore {
  const run = toScriptRunner(client);
  if (typeof keyPrefix !== 'string') {
    throw new TypeError(`@caleida/replay-store-redis: keyPrefix must be a string, got ${typeof keyPrefix}.`);
  }
  return {
    async claim(id, { leaseSeconds }) {
      const token = randomBytes(12).toString('base64url');
      const result = Number(await run(CLAIM, keyPrefix + id, [token, toMs(leaseSeconds)]));
      if (result === 1) return { state: 'new', token };
      return result === 2 ? PROCESSED : IN_FLIGHT;
    },
    async complete(id, token, { retentionSeconds }) {
      await run(COMPLETE, keyPrefix + id, [token, toMs(retentionSeconds)]);
    },
    async release(id, token) {
      await run(RELEASE, keyPrefix + id, [token]);
    },
  };
}
