/**
 * `pnpm bench adapters`: requests per second of each adapter (Express 5 and 4, Koa, Fastify, and the
 * fetch handler on @hono/node-server), in each of its modes, against the same framework doing only
 * the crypto floor (HMAC + constant-time compare + JSON.parse, the least any verifier must do), and
 * against its bare form (a route that only reads the raw body and answers 200); and Express + the
 * standardwebhooks library, with autocannon on 127.0.0.1. Every request carries a 1 KiB `message` event signed with
 * a fresh webhook-id, so the replay store stays on and every request is verified for real. Then
 * the resident memory of one adapter over 100,000 requests.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import autocannon from 'autocannon';
import { BENCH_PATH, BENCH_SECRET } from './lib/adapter-app.js';
import { selectAdapterGroups } from './lib/adapter-groups.js';
import { printTable } from './lib/print-table.js';

const CONNECTIONS = 20;
const WARMUP_REQUESTS = 2_000;
const ROUNDS = 5;
const ROUND_SECONDS = 1.5;
const MEMORY_REQUESTS = 100_000;
const MEMORY_BATCHES = 3;
// Enough distinct ids for the fastest app's warm-up and rounds, and for the memory batches.
const GROUP_POOL_SIZE = 200_000;
const MEMORY_POOL_SIZE = MEMORY_BATCHES * MEMORY_REQUESTS + 20_000;
const TARGET_RATIO = 0.9;
const appFile = fileURLToPath(new URL('./lib/adapter-app.ts', import.meta.url));

/** A `message` event whose JSON is exactly 1 KiB. */
function messageOf1KiB(): string {
  const event = buildEvent('message');
  const base = JSON.stringify({ ...event, data: { ...event.data, content: '' } }).length;
  return JSON.stringify({ ...event, data: { ...event.data, content: 'x'.repeat(1024 - base) } });
}

/**
 * Signed requests, each with its own id. Every app runs in a fresh process with its own replay
 * store, so one pool serves a whole group; within one app no id repeats as long as it gets fewer
 * requests than the pool holds. Signed afresh for each group (and for the memory batches): a whole
 * run outlasts the 300 s window, and an adapter would then answer 401 where the floor, which checks
 * no timestamp, still answers 200.
 */
let pool = signedPool(0);

/** Signed requests, each with its own id, signed now so they all stay inside the 300 s window. */
function signedPool(size: number): { headers: Record<string, string>; body: string }[] {
  const body = messageOf1KiB();
  return Array.from({ length: size }, () => {
    const request = signedRequest({ secret: BENCH_SECRET, event: body });
    return { headers: { ...request.headers }, body: request.body };
  });
}

interface RunningApp {
  name: string;
  child: ChildProcess;
  url: string;
  /** The next pool entry this app gets: each app has its own replay store, so ids must not repeat within one app. */
  cursor: number;
}

function startApp(name: string): Promise<RunningApp> {
  const child = fork(appFile, [name], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) =>
      resolve({ name, child, url: `http://127.0.0.1:${message.port}`, cursor: 0 }),
    );
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

function memoryOf(child: ChildProcess): Promise<{ rss: number; heapUsed: number }> {
  return new Promise((resolve) => {
    child.once('message', (message: { rss: number; heapUsed: number }) => resolve(message));
    child.send('rss');
  });
}

/** Runs autocannon against one app, each request with the app's next signed request; `limit` is a count or a duration. */
/** The app's own CPU time so far, in microseconds: unlike throughput, untouched by time other VMs take from this one. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message: { cpuMicros: number }) => resolve(message.cpuMicros));
    child.send('cpu');
  });
}

async function load(app: RunningApp, limit: { amount: number } | { duration: number }) {
  const cpuBefore = await cpuOf(app.child);
  const result = await autocannon({
    url: app.url,
    connections: CONNECTIONS,
    ...limit,
    requests: [
      {
        method: 'POST',
        path: BENCH_PATH,
        setupRequest: (request) => {
          const signed = pool[app.cursor++ % pool.length] as (typeof pool)[number];
          return { ...request, headers: signed.headers, body: signed.body };
        },
      },
    ],
  });
  if (app.cursor > pool.length && app.name.includes('@caleida')) {
    console.log(`note: ${app.name} went through the pool of ids; some requests were duplicates.`);
  }
  const cpuAfter = await cpuOf(app.child);
  return {
    rps: result.requests.total / result.duration,
    cpuPerRequest: (cpuAfter - cpuBefore) / Math.max(1, result.requests.total),
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Starts every app of a group at once, then measures them in interleaved rounds (bare, adapter,
 * ..., bare, adapter, ...), so that load from elsewhere on a shared machine hits each alike; the
 * figure of each app is its median round.
 */
async function measureGroup(names: string[]) {
  pool = signedPool(GROUP_POOL_SIZE);
  const apps = await Promise.all(names.map(startApp));
  try {
    for (const app of apps) await load(app, { amount: WARMUP_REQUESTS });
    const rounds = new Map<string, number[]>(names.map((name) => [name, []]));
    const cpu = new Map<string, number[]>(names.map((name) => [name, []]));
    const failed = new Map<string, number>(names.map((name) => [name, 0]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const app of apps) {
        const result = await load(app, { duration: ROUND_SECONDS });
        rounds.get(app.name)?.push(result.rps);
        cpu.get(app.name)?.push(result.cpuPerRequest);
        failed.set(app.name, (failed.get(app.name) ?? 0) + result.failed);
      }
    }
    return names.map((name) => ({
      name,
      rps: median(rounds.get(name) ?? []),
      cpuPerRequest: median(cpu.get(name) ?? []),
      failed: failed.get(name) ?? 0,
    }));
  } finally {
    for (const app of apps) app.child.kill();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * One framework each: its bare route, its crypto floor (the baseline of the targets), the adapter
 * in each of its modes (each must reach TARGET_RATIO of the floor), and others shown for reference.
 */
const groups = selectAdapterGroups(process.argv);
const rows: (string | number)[][] = [
  [
    'app',
    'req/s',
    'ratio to bare',
    'ratio to crypto floor',
    'server CPU/req',
    'CPU ratio to floor',
    'failed',
    'target',
  ],
];
let met = true;
let standardwebhooksRps = 0;
const adapterRps: number[] = [];
for (const { bare, floor, adapters, others = [] } of groups) {
  const results = await measureGroup([bare, floor, ...adapters, ...others]);
  const baseline = results[0] as (typeof results)[number];
  const floorResult = results[1] as (typeof results)[number];
  for (const result of results) {
    const ratio = result.rps / floorResult.rps;
    let target = '';
    if (adapters.includes(result.name)) {
      adapterRps.push(result.rps);
      target = `>= ${TARGET_RATIO}x floor ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`;
      if (ratio < TARGET_RATIO) met = false;
    }
    if (result.name.includes('standardwebhooks')) standardwebhooksRps = result.rps;
    if (result.failed > 0) met = false;
    rows.push([
      result.name,
      Math.round(result.rps).toLocaleString('en-US'),
      `${(result.rps / baseline.rps).toFixed(2)}x`,
      `${ratio.toFixed(2)}x`,
      `${result.cpuPerRequest.toFixed(0)} µs`,
      `${(floorResult.cpuPerRequest / result.cpuPerRequest).toFixed(2)}x`,
      result.failed,
      target,
    ]);
  }
}
printTable(rows);
// Measured with the Express group only; other frameworks' figures are not comparable to it.
if (standardwebhooksRps > 0) {
  const fasterThanStandard = adapterRps.every((rps) => rps > standardwebhooksRps);
  if (!fasterThanStandard) met = false;
  console.log(
    `\nEach adapter vs express.raw() + standardwebhooks (${Math.round(standardwebhooksRps).toLocaleString('en-US')} req/s): ${fasterThanStandard ? 'faster, met' : 'not faster, MISSED'}.`,
  );
}

// Memory (BENCH_MEMORY=0 skips it): the replay store fills up to its cap (100,000 ids) over the first batch of requests; the
// later batches show whether memory then stays flat.
const memoryApp =
  process.env.BENCH_MEMORY === '0' ? undefined : await startApp('express + @caleida/express-middleware');
if (memoryApp) {
  try {
    pool = signedPool(MEMORY_POOL_SIZE);
    memoryApp.cursor = 0;
    await load(memoryApp, { amount: WARMUP_REQUESTS });
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    const count = MEMORY_REQUESTS.toLocaleString('en-US');
    const samples = [await memoryOf(memoryApp.child)];
    let failed = 0;
    console.log('\nMemory of express + @caleida/express-middleware, heap measured after a full GC:');
    console.log(`  start: RSS ${mib(samples[0]?.rss ?? 0)}, heap ${mib(samples[0]?.heapUsed ?? 0)}`);
    for (let batch = 1; batch <= MEMORY_BATCHES; batch++) {
      failed += (await load(memoryApp, { amount: MEMORY_REQUESTS })).failed;
      const sample = await memoryOf(memoryApp.child);
      samples.push(sample);
      const note = batch === 1 ? ' (the replay store fills to its 100,000 ids)' : '';
      console.log(
        `  after ${batch} × ${count} requests: RSS ${mib(sample.rss)}, heap ${mib(sample.heapUsed)}${note}`,
      );
    }
    // In the batch after the store fills, its Map's table (deleted entries hold their slots until a
    // rehash) and its claim-order list still reach their working size; flat means the last batch adds
    // (almost) nothing.
    const settled = samples[samples.length - 2] as { heapUsed: number };
    const last = samples[samples.length - 1] as { heapUsed: number };
    const heapGrowth = last.heapUsed - settled.heapUsed;
    const flat = heapGrowth < 2 * 1024 * 1024 && failed === 0;
    if (!flat) met = false;
    console.log(
      `  over the last ${count} requests the heap moved by ${mib(heapGrowth)} (${failed} failed in all): ` +
        `${flat ? 'flat, met' : 'NOT flat'}.`,
    );
  } finally {
    memoryApp.child.kill();
  }
}
console.log(
  `\nTargets ${met ? 'met' : 'MISSED'} (each adapter in each mode >= ${TARGET_RATIO}x its framework's crypto floor, faster than standardwebhooks, no failed requests).`,
);
