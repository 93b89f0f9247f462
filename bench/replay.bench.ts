/**
 * `pnpm bench replay`: first the in-memory store alone, as a receiver calls it, from 60k to 100k ids
 * against a bare Map floor, and its heap per id at 100k (run with --expose-gc; `--memory-only` stops
 * there). Then claim + complete operations per second of each replay store (memory, Redis
 * through node-redis and ioredis, PostgreSQL), each a ratio against the memory store, then the req/s
 * of the Express adapter with the Redis store against the same app with the memory store (target
 * 0.7x), with autocannon on 127.0.0.1. Real redis-server and PostgreSQL processes are started in
 * temporary folders, as the tests start them. Rounds are interleaved, and each figure is the median
 * round, so load from elsewhere hits every store alike.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { caleidaWebhook } from '@caleida/express-middleware';
import { createPostgresReplayStore, migrate } from '@caleida/replay-store-postgres';
import { createRedisReplayStore } from '@caleida/replay-store-redis';
import { MemoryReplayStore, type ReplayStore } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import autocannon from 'autocannon';
import express from 'express';
import { Redis as IoRedis } from 'ioredis';
import pg from 'pg';
import { createClient } from 'redis';
import { startPostgresServer } from '../test/replay-stores/support/postgres-server.js';
import { startRedisServer } from '../test/replay-stores/support/redis-server.js';
import { printTable } from './lib/print-table.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 5;
const STORE_ROUND_MS = quick ? 500 : 1_000;
const IN_FLIGHT = 32;
const HTTP_ROUND_SECONDS = quick ? 1 : 1.5;
const CONNECTIONS = 20;
const TARGET_RATIO = 0.7;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const LEASE = { leaseSeconds: 60 };
const RETAIN = { retentionSeconds: 3 * 24 * 3600 };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** A child process: an Express app on the store named in argv, telling the parent its port. */
async function serveApp(kind: string, redisUrl: string): Promise<void> {
  let replayStore: ReplayStore = new MemoryReplayStore();
  if (kind === 'redis') {
    const client = await createClient({ url: redisUrl }).connect();
    replayStore = createRedisReplayStore({ client, keyPrefix: `bench-http-${process.pid}:` });
  }
  const app = express();
  app.post('/webhooks/caleida', caleidaWebhook({ secret: SECRET, replayStore }), (_req, res) => {
    res.status(200).end();
  });
  const server = createServer(app);
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
}

/** claim + complete of fresh ids for `ms`, `IN_FLIGHT` at a time; resolves to operations per second. */
async function storeRound(store: ReplayStore, prefix: string, ms: number): Promise<number> {
  let done = 0;
  let next = 0;
  const end = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < end) {
        const id = `${prefix}${next++}`;
        const claim = await store.claim(id, LEASE);
        if (claim.state !== 'new') throw new Error(`${id} was not new`);
        await store.complete(id, claim.token, RETAIN);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

function startApp(
  kind: string,
  redisUrl: string,
): Promise<{ kind: string; child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind, redisUrl], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) =>
      resolve({ kind, child, url: `http://127.0.0.1:${message.port}/webhooks/caleida` }),
    );
    child.once('exit', (code) => reject(new Error(`the ${kind} app exited with ${code}`)));
  });
}

/** Fresh signed requests, each with its own id, so every request is claimed for real. */
function signedPool(size: number) {
  const body = JSON.stringify(buildEvent('message'));
  return Array.from({ length: size }, () => {
    const request = signedRequest({ secret: SECRET, event: body });
    return { headers: { ...request.headers }, body: request.body };
  });
}

const MEMORY_FROM_IDS = 60_000;
const MEMORY_TO_IDS = 100_000;
const MEMORY_BATCH = 1_000;
const memoryId = (n: number): string => `evt_${n.toString(36).padStart(24, '0')}`;

/**
 * The in-memory store as a receiver calls it (claimSync + completeSync of fresh ids) while it grows
 * from 60k to 100k ids, against a floor: a bare Map<string, number> doing one lookup and one write
 * per call, the least a claim and a complete can cost. Batches of the two alternate, and the figure
 * is the median ratio of adjacent batches. Then the heap each id holds at 100k, after a full GC.
 */
async function memoryStoreFigures(): Promise<void> {
  const pairs = quick ? 3 : 8;
  let next = 1e9;
  const fillStore = (store: MemoryReplayStore, count: number) => {
    for (const end = next + count; next < end; next++) {
      const id = memoryId(next);
      const claim = store.claimSync(id, LEASE);
      if (claim.state !== 'new') throw new Error(`${id} was not new`);
      store.completeSync(id, claim.token, RETAIN);
    }
  };
  const fillFloor = (floor: Map<string, number>, count: number) => {
    const now = Date.now();
    for (const end = next + count; next < end; next++) {
      const id = memoryId(next);
      if ((floor.get(id) ?? 0) > now) throw new Error(`${id} was not new`);
      floor.set(id, -(now + 60_000));
      if ((floor.get(id) ?? 0) > 0) throw new Error(`${id} was not in flight`);
      floor.set(id, now + RETAIN.retentionSeconds * 1000);
    }
  };
  const storeMicros: number[] = [];
  const ratios: number[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const store = new MemoryReplayStore({ maxEntries: 2_000_000 });
    const floor = new Map<string, number>();
    fillStore(store, MEMORY_FROM_IDS);
    fillFloor(floor, MEMORY_FROM_IDS);
    for (let batch = 0; batch < (MEMORY_TO_IDS - MEMORY_FROM_IDS) / MEMORY_BATCH; batch++) {
      const took = { store: 0, floor: 0 };
      for (const which of batch % 2 ? (['floor', 'store'] as const) : (['store', 'floor'] as const)) {
        const start = process.hrtime.bigint();
        if (which === 'store') fillStore(store, MEMORY_BATCH);
        else fillFloor(floor, MEMORY_BATCH);
        took[which] = Number(process.hrtime.bigint() - start) / 1e3 / MEMORY_BATCH;
      }
      storeMicros.push(took.store);
      ratios.push(took.store / took.floor);
    }
  }
  console.log(
    `MemoryReplayStore, claimSync + completeSync of fresh ids from ${MEMORY_FROM_IDS / 1000}k to ${MEMORY_TO_IDS / 1000}k ids, ${ratios.length} batches of ${MEMORY_BATCH}:\n`,
  );
  printTable([
    ['', 'µs per claim + complete', 'vs Map floor (get + set, twice)'],
    ['MemoryReplayStore', median(storeMicros).toFixed(3), `${median(ratios).toFixed(3)}x`],
  ]);
  const gc = globalThis.gc;
  if (!gc) {
    console.log('\nheap per id: run with --expose-gc to weigh it');
    return;
  }
  const heapPerId = (fill: () => { size: number }): number => {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const held = fill();
    gc();
    gc();
    const bytes = (process.memoryUsage().heapUsed - before) / MEMORY_TO_IDS;
    // Read after the GC, so the store is still reachable when it is weighed.
    if (held.size !== MEMORY_TO_IDS) throw new Error(`${held.size} ids were held`);
    return bytes;
  };
  const storeBytes = median(
    [0, 1, 2].map(() =>
      heapPerId(() => {
        const store = new MemoryReplayStore({ maxEntries: 2_000_000 });
        fillStore(store, MEMORY_TO_IDS);
        return store;
      }),
    ),
  );
  const floorBytes = median(
    [0, 1, 2].map(() =>
      heapPerId(() => {
        const floor = new Map<string, number>();
        fillFloor(floor, MEMORY_TO_IDS);
        return floor;
      }),
    ),
  );
  console.log(
    `\nheap per id at ${MEMORY_TO_IDS / 1000}k ids (ids included): MemoryReplayStore ${Math.round(storeBytes)} B, a bare Map<string, number> ${Math.round(floorBytes)} B`,
  );
}

async function main(): Promise<void> {
  await memoryStoreFigures();
  if (process.argv.includes('--memory-only')) return;
  console.log('');
  const [redis, postgres] = await Promise.all([startRedisServer(), startPostgresServer()]);
  const nodeRedis = await createClient({ url: redis.url }).connect();
  const ioredis = new IoRedis(redis.url);
  const pool = new pg.Pool({ connectionString: postgres.url, max: IN_FLIGHT });
  await migrate(pool);
  const stores: [string, ReplayStore][] = [
    ['MemoryReplayStore', new MemoryReplayStore({ maxEntries: 2_000_000 })],
    ['Redis (node-redis)', createRedisReplayStore({ client: nodeRedis, keyPrefix: 'bench:' })],
    ['Redis (ioredis)', createRedisReplayStore({ client: ioredis, keyPrefix: 'bench:' })],
    ['PostgreSQL (pg)', createPostgresReplayStore({ pool })],
  ];
  try {
    const figures = new Map<string, number[]>(stores.map(([name]) => [name, []]));
    for (const [name, store] of stores) await storeRound(store, `warm-${name}-`, 200);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, store] of stores) {
        figures.get(name)?.push(await storeRound(store, `r${round}-${name}-`, STORE_ROUND_MS));
      }
    }
    const baseline = median(figures.get('MemoryReplayStore') ?? []);
    console.log(`claim + complete, ${IN_FLIGHT} at a time, median of ${ROUNDS} interleaved rounds:\n`);
    printTable([
      ['store', 'ops/s', 'vs memory'],
      ...stores.map(([name]) => {
        const ops = median(figures.get(name) ?? []);
        return [name, Math.round(ops), `${(ops / baseline).toFixed(3)}x`];
      }),
    ]);

    const apps = await Promise.all(['memory', 'redis'].map((kind) => startApp(kind, redis.url)));
    const requests = signedPool(quick ? 60_000 : 150_000);
    let cursor = 0;
    const load = async (url: string, limit: { amount: number } | { duration: number }) => {
      const result = await autocannon({
        url,
        connections: CONNECTIONS,
        ...limit,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const signed = requests[cursor++ % requests.length] as (typeof requests)[number];
              return { ...request, headers: signed.headers, body: signed.body };
            },
          },
        ],
      });
      return {
        rps: result.requests.total / result.duration,
        failed: result.non2xx + result.errors + result.timeouts,
      };
    };
    try {
      for (const app of apps) await load(app.url, { amount: 2_000 });
      const rps = new Map<string, number[]>([
        ['memory', []],
        ['redis', []],
      ]);
      let failed = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const app of apps) {
          const result = await load(app.url, { duration: HTTP_ROUND_SECONDS });
          rps.get(app.kind)?.push(result.rps);
          failed += result.failed;
        }
      }
      const memoryRps = median(rps.get('memory') ?? []);
      const redisRps = median(rps.get('redis') ?? []);
      const ratio = redisRps / memoryRps;
      console.log(
        `\nExpress + @caleida/express-middleware, ${CONNECTIONS} connections, median of ${ROUNDS} rounds:\n`,
      );
      printTable([
        ['replay store', 'req/s', 'vs memory'],
        ['MemoryReplayStore', Math.round(memoryRps), '1.000x'],
        ['Redis (node-redis)', Math.round(redisRps), `${ratio.toFixed(3)}x`],
      ]);
      if (cursor > requests.length)
        console.log('note: the pool of ids ran out; some requests were duplicates.');
      if (failed > 0) console.log(`note: ${failed} requests did not get a 2xx.`);
      console.log(`\ntarget: Redis >= ${TARGET_RATIO}x memory: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`);
    } finally {
      for (const app of apps) app.child.kill();
    }
  } finally {
    nodeRedis.destroy();
    ioredis.disconnect();
    await pool.end();
    await Promise.all([redis.stop(), postgres.stop()]);
  }
}

const serve = process.argv.indexOf('--serve');
if (serve >= 0) await serveApp(process.argv[serve + 1] as string, process.argv[serve + 2] as string);
else await main();
