import { createPostgresReplayStore, migrate } from '@caleida/replay-store-postgres';
import { createRedisReplayStore } from '@caleida/replay-store-redis';
import pg from 'pg';
import { createClient } from 'redis';
// The servers are started as the replay-store tests start them: real redis-server and PostgreSQL
// processes on 127.0.0.1, in temporary folders.
import { startPostgresServer } from '../../test/replay-stores/support/postgres-server.js';
import { startRedisServer } from '../../test/replay-stores/support/redis-server.js';
import { type ReplayStoreUnderTest, storeUnderTest } from './replay-store-curve.js';

/** A store to draw, opened afresh (a new key prefix or table) each time `open()` is called. */
export interface ExternalStore {
  name: string;
  open(): Promise<ReplayStoreUnderTest>;
}

/** Starts redis-server and PostgreSQL; `stop()` ends both. */
export async function startExternalStores(): Promise<{ stores: ExternalStore[]; stop: () => Promise<void> }> {
  const [redis, postgres] = await Promise.all([startRedisServer(), startPostgresServer()]);
  let opened = 0;
  const stores: ExternalStore[] = [
    {
      name: 'Redis store (node-redis)',
      async open() {
        const client = await createClient({ url: redis.url }).connect();
        const store = createRedisReplayStore({ client, keyPrefix: `curve${opened++}:` });
        return storeUnderTest(this.name, store, async () => void client.destroy());
      },
    },
    {
      name: 'PostgreSQL store (pg)',
      async open() {
        const pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
        const table = `replay_curve_${opened++}`;
        await migrate(pool, { table });
        return storeUnderTest(this.name, createPostgresReplayStore({ pool, table }), () => pool.end());
      },
    },
  ];
  return { stores, stop: async () => void (await Promise.all([redis.stop(), postgres.stop()])) };
}
