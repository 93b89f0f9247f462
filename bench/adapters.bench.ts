/**
 * `pnpm bench adapters`: requests per second of each adapter against its framework's bare form (a
 * route that only reads the raw body and answers 200), and of Express + the standardwebhooks
 * library, with autocannon on 127.0.0.1. Every request carries a 1 KiB `message` event signed with
 * a fresh webhook-id, so the replay store stays on and every request is verified for real. Then
 * the resident memory of one adapter over 100,000 requests.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import autocannon from 'autocannon';
import { BENCH_PATH, BENCH_SECRET } from './lib/adapter-app.js';
import { printTable } from './lib/print-table.js';

const CONNECTIONS = 20;
const WARMUP_REQUESTS = 2_000;
const DURATION_SECONDS = 5;
const MEMORY_REQUESTS = 100_000;
const TARGET_RATIO = 0.85;
const appFile = fileURLToPath(new URL('./lib/adapter-app.ts', import.meta.url));

/** A `message` event whose JSON is exactly 1 KiB. */
function messageOf1KiB(): string {
  const event = buildEvent('message');
  const base = JSON.stringify({ ...event, data: { ...event.data, content: '' } }).length;
  return JSON.stringify({ ...event, data: { ...event.data, content: 'x'.repeat(1024 - base) } });
}

/**
 * Signed requests, each with its own id, signed now so they all stay inside the 300 s window.
 * Every app runs in a fresh process with its own replay store, so one pool serves them all; within
 * one app no id repeats as long as it gets fewer requests than the pool holds.
 */
const pool = signedPool(MEMORY_REQUESTS + WARMUP_REQUESTS);

/** Signed requests, each with its own id, signed now so they all stay inside the 300 s window. */
function signedPool(size: number): { headers: Record<string, string>; body: string }[] {
  const body = messageOf1KiB();
  return Array.from({ length: size }, () => {
    const request = signedRequest({ secret: BENCH_SECRET, event: body });
    return { headers: { ...request.headers }, body: request.body };
  });
}

interface RunningApp {
  child: ChildProcess;
  url: string;
}

function startApp(name: string): Promise<RunningApp> {
  cursor = 0;
  const child = fork(appFile, [name], {
    execArgv: ['--conditions=@caleida/source', '--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) =>
      resolve({ child, url: `http://127.0.0.1:${message.port}` }),
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

/** Runs autocannon with a fresh signed request per call; `limit` is a count or a duration. */
/** The next pool entry to send; reset for each new app, so no app sees an id twice. */
let cursor = 0;

async function load(url: string, limit: { amount: number } | { duration: number }) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    ...limit,
    requests: [
      {
        method: 'POST',
        path: BENCH_PATH,
        setupRequest: (request) => {
          const signed = pool[cursor++ % pool.length] as (typeof pool)[number];
          return { ...request, headers: signed.headers, body: signed.body };
        },
      },
    ],
  });
  return { result, idsReused: cursor > pool.length };
}

async function measure(name: string) {
  const app = await startApp(name);
  try {
    await load(app.url, { amount: WARMUP_REQUESTS });
    const { result, idsReused } = await load(app.url, { duration: DURATION_SECONDS });
    // Bare forms never look at ids, so only an adapter's run is affected by a reused one.
    if (idsReused && name.includes('@caleida'))
      console.log(`note: ${name} went through the pool of ids; some requests were duplicates.`);
    return { name, rps: result.requests.average, non2xx: result.non2xx + result.errors + result.timeouts };
  } finally {
    app.child.kill();
  }
}

const groups: [string, string, string[]][] = [
  [
    'express bare',
    'express + @caleida/express-middleware',
    ['express + standardwebhooks', 'express.raw() + @caleida/express-middleware'],
  ],
  ['koa bare', 'koa + @caleida/koa-middleware', []],
  ['fastify bare', 'fastify + @caleida/fastify-plugin', []],
];
const rows: (string | number)[][] = [['app', 'req/s', 'ratio to bare', 'failed requests', 'target']];
let met = true;
let standardwebhooksRps = 0;
const adapterRps: number[] = [];
for (const [bare, adapter, others] of groups) {
  const baseline = await measure(bare);
  const results = [baseline, await measure(adapter)];
  for (const other of others) results.push(await measure(other));
  for (const result of results) {
    const ratio = result.rps / baseline.rps;
    let target = '';
    if (result.name === adapter) {
      adapterRps.push(result.rps);
      target = `>= ${TARGET_RATIO}x ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`;
      if (ratio < TARGET_RATIO) met = false;
    }
    if (result.name.includes('standardwebhooks')) standardwebhooksRps = result.rps;
    if (result.non2xx > 0) met = false;
    rows.push([
      result.name,
      Math.round(result.rps).toLocaleString('en-US'),
      `${ratio.toFixed(2)}x`,
      result.non2xx,
      target,
    ]);
  }
}
printTable(rows);
const fasterThanStandard = adapterRps.every((rps) => rps > standardwebhooksRps);
if (!fasterThanStandard) met = false;
console.log(
  `\nEach adapter vs express.raw() + standardwebhooks (${Math.round(standardwebhooksRps).toLocaleString('en-US')} req/s): ${fasterThanStandard ? 'faster, met' : 'not faster, MISSED'}.`,
);

const memoryApp = await startApp('express + @caleida/express-middleware');
try {
  await load(memoryApp.url, { amount: WARMUP_REQUESTS });
  const before = await memoryOf(memoryApp.child);
  const { result } = await load(memoryApp.url, { amount: MEMORY_REQUESTS });
  const after = await memoryOf(memoryApp.child);
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  console.log(
    `\nMemory of express + @caleida/express-middleware over ${MEMORY_REQUESTS.toLocaleString('en-US')} requests ` +
      `(${result.non2xx + result.errors} failed): RSS ${mib(before.rss)} before, ${mib(after.rss)} after ` +
      `(+${mib(after.rss - before.rss)}); heap after GC ${mib(before.heapUsed)} before, ${mib(after.heapUsed)} after ` +
      `(+${mib(after.heapUsed - before.heapUsed)}; ` +
      'the in-memory replay store keeps every processed id for the 660 s it could be replayed, up to 100,000).',
  );
} finally {
  memoryApp.child.kill();
}
console.log(
  `\nTargets ${met ? 'met' : 'MISSED'} (each adapter >= ${TARGET_RATIO}x its bare form, faster than standardwebhooks, no failed requests).`,
);
