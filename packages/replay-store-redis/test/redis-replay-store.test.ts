import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { describeReplayStoreContract } from '../../../test/replay-stores/replay-store-contract.js';
import { ioRedisStore, nodeRedisStore } from '../../../test/replay-stores/stores.js';
import { createRedisReplayStore } from '../src/index.js';

describeReplayStoreContract(nodeRedisStore);
describeReplayStoreContract(ioRedisStore);

describe('createRedisReplayStore', () => {
  const client = new Redis(inject('redisUrl'));
  afterAll(() => client.disconnect());

  it('keeps one key per id under keyPrefix: the token while claimed, then processed with the retention', async () => {
    const keyPrefix = `test:${Date.now()}:`;
    const store = createRedisReplayStore({ client, keyPrefix });
    const claim = await store.claim('evt_1', { leaseSeconds: 30 });
    if (claim.state !== 'new') throw new Error('expected a new claim');
    expect(await client.get(`${keyPrefix}evt_1`)).toBe(claim.token);
    expect(await client.pttl(`${keyPrefix}evt_1`)).toBeGreaterThan(29_000);
    await store.complete('evt_1', claim.token, { retentionSeconds: 3 * 86_400 });
    expect(await client.get(`${keyPrefix}evt_1`)).toBe('processed');
    expect(await client.ttl(`${keyPrefix}evt_1`)).toBeGreaterThan(3 * 86_400 - 5);
    expect(await client.keys(`${keyPrefix}*`)).toEqual([`${keyPrefix}evt_1`]);
  });

  it('loads its scripts again after SCRIPT FLUSH', async () => {
    const store = createRedisReplayStore({ client, keyPrefix: `flush:${Date.now()}:` });
    await client.script('FLUSH');
    expect((await store.claim('evt_1', { leaseSeconds: 30 })).state).toBe('new');
    const nodeClient = await createClient({ url: inject('redisUrl') }).connect();
    try {
      await client.script('FLUSH');
      const other = createRedisReplayStore({ client: nodeClient, keyPrefix: `flush2:${Date.now()}:` });
      expect((await other.claim('evt_1', { leaseSeconds: 30 })).state).toBe('new');
    } finally {
      nodeClient.destroy();
    }
  });

  it('refuses something that is not a Redis client, saying what to pass', () => {
    expect(() => createRedisReplayStore({ client: {} as never })).toThrow(
      /node-redis 5 client .* or an ioredis 5 client/,
    );
    expect(() => createRedisReplayStore({ client, keyPrefix: 3 as never })).toThrow(
      /keyPrefix must be a string/,
    );
  });
});
