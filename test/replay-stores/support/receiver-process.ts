// A receiver in its own process, for the cross-process tests: Express or Fastify, on a shared
// store, whose handler records each run as a row in PostgreSQL (a side effect outside the process).
import { createServer } from 'node:http';
import { createReceiver, type ReplayStore } from '@caleida/verify';
import pg from 'pg';

// Each framework and client is imported only when chosen: a child loads what it uses, and starts
// sooner on a busy machine.
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`receiver-process: set ${name}`);
  return value;
};

const framework = env('RECEIVER_FRAMEWORK');
const storeKind = env('RECEIVER_STORE');
const effects = new pg.Pool({ connectionString: env('EFFECTS_URL'), max: 4 });
const effectsTable = env('EFFECTS_TABLE');
const hangOn = process.env.HANG_ON_ID;

async function openStore(): Promise<ReplayStore> {
  const url = env('STORE_URL');
  const keyPrefix = env('STORE_PREFIX');
  if (storeKind === 'redis') {
    // Retries forever, so the process outlives a Redis restart; the receiver's deadline answers 503 meanwhile.
    const { createClient } = await import('redis');
    const { createRedisReplayStore } = await import('@caleida/replay-store-redis');
    const client = createClient({ url, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => {});
    await client.connect();
    return createRedisReplayStore({ client, keyPrefix });
  }
  if (storeKind === 'ioredis') {
    const { Redis: IoRedis } = await import('ioredis');
    const { createRedisReplayStore } = await import('@caleida/replay-store-redis');
    const client = new IoRedis(url, { retryStrategy: () => 50, maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    return createRedisReplayStore({ client, keyPrefix });
  }
  if (storeKind === 'postgres') {
    const { createPostgresReplayStore } = await import('@caleida/replay-store-postgres');
    return createPostgresReplayStore({
      pool: new pg.Pool({ connectionString: url, max: 8 }),
      table: keyPrefix,
    });
  }
  throw new Error(`receiver-process: unknown RECEIVER_STORE ${storeKind}`);
}

const receiver = createReceiver({
  secret: env('RECEIVER_SECRET'),
  replayStore: await openStore(),
  replayLeaseSeconds: Number(process.env.LEASE_SECONDS ?? 60),
  replayStoreTimeoutMs: 500,
  logger: { error: (message: string) => process.stderr.write(`${message}\n`) },
}).onAny(async (event) => {
  if (event.id === hangOn) {
    process.stdout.write(`handling ${event.id}\n`);
    await new Promise(() => {});
  }
  await effects.query(`INSERT INTO ${effectsTable} (id, pid) VALUES ($1, $2)`, [event.id, process.pid]);
});

let port: number;
if (framework === 'express') {
  const { default: express } = await import('express');
  const { caleidaWebhook } = await import('@caleida/express-middleware');
  const app = express();
  app.post('/webhooks/caleida', caleidaWebhook({ receiver }));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
} else {
  const { default: Fastify } = await import('fastify');
  const { caleidaWebhook } = await import('@caleida/fastify-plugin');
  const app = Fastify();
  await app.register(caleidaWebhook, { url: '/webhooks/caleida', receiver });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
}
process.stdout.write(`listening http://127.0.0.1:${port}/webhooks/caleida\n`);
