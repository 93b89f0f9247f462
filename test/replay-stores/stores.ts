import { createPostgresReplayStore, migrate } from '@caleida/replay-store-postgres';
import { createRedisReplayStore } from '@caleida/replay-store-redis';
import { MemoryReplayStore } from '@caleida/verify';
import { Redis as IoRedis } from 'ioredis';
import pg from 'pg';
import { createClient } from 'redis';
import { inject } from 'vitest';
import type { StoreFactory } from './replay-store-contract.js';

/** The in-process store. */
export const memoryStore: StoreFactory = {
  name: 'MemoryReplayStore',
  async open() {
    return { store: new MemoryReplayStore(), close: async () => {} };
  },
};

/** Redis through node-redis (`redis` 5). */
export const nodeRedisStore: StoreFactory = {
  name: 'Redis store (node-redis)',
  async open(keyPrefix) {
    const client = await createClient({ url: inject('redisUrl') }).connect();
    return { store: createRedisReplayStore({ client, keyPrefix }), close: async () => void client.destroy() };
  },
};

/** Redis through ioredis 5. */
export const ioRedisStore: StoreFactory = {
  name: 'Redis store (ioredis)',
  async open(keyPrefix) {
    const client = new IoRedis(inject('redisUrl'));
    return {
      store: createRedisReplayStore({ client, keyPrefix }),
      close: async () => void client.disconnect(),
    };
  },
};

/** PostgreSQL through a pg Pool, in a table of its own. */
export const postgresStore: StoreFactory = {
  name: 'PostgreSQL store (pg)',
  async open(prefix) {
    const pool = new pg.Pool({ connectionString: inject('postgresUrl'), max: 10 });
    const table = `replay_${prefix.replace(/[^a-z0-9]/gi, '_')}`.toLowerCase().slice(0, 60);
    await migrate(pool, { table });
    return { store: createPostgresReplayStore({ pool, table }), close: () => pool.end() };
  },
};

/** Every store the contract runs against: a new store is one factory above and one line here. */
export const everyStore: StoreFactory[] = [memoryStore, nodeRedisStore, ioRedisStore, postgresStore];
