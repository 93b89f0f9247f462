/**
 * `pnpm bench emitter`: the mock server's delivery engine.
 *  1. Throughput: deliveries per second from trigger (POST /v1/events) to a no-op receiver, against
 *     the sender floor: the same receiver fed by a process that only signs and POSTs with undici (the
 *     mock server's HTTP client), nothing stored, the ceiling of any sender built on it. Measured in
 *     interleaved rounds (floor, emitter, floor, emitter, ...), each round's emitter against its own
 *     floor; the headline is the median of those ratios. Target ≥ 0.6x, with every delivery committed
 *     to SQLite before its attempt and recorded as succeeded after it. As context: autocannon on the
 *     same receiver, and the trigger API alone (events nobody subscribes to: route, validation, the
 *     event's commit), which is the API's share of each emitter round.
 *  2. Trigger-to-receipt latency when idle, p50 and p99. Target p50 ≤ 5 ms.
 *  3. RSS of the server with 100,000 pending deliveries. Target < 200 MB.
 * The server and the receiver each run in their own process, as they would for real.
 * After the table, the CPU time each process of a round spent per delivery (sender floor and
 * receiver; trigger client, mock server with its threads, receiver), read from /proc, and the ratio
 * those figures predict: what the two cores are spent on, beside the measured ratio.
 * `--profile` runs the throughput server under `node --cpu-prof` and prints where its CPU went.
 * `--quick` runs one round.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSecret } from '@caleida/verify';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { processCpuMicros } from './lib/process-cpu.js';
import { summarizeCpuProfile } from './lib/summarize-cpu-profile.js';

const CONCURRENCY = 16;
const WEBHOOKS = 4;
const EVENTS = 4000;
const TRIGGER_CLIENTS = 8;
const LATENCY_SAMPLES = 300;
const PENDING_TARGET = 100_000;
const PENDING_WEBHOOKS = 10;
const ROUNDS = process.argv.includes('--quick') ? 1 : 5;
const PROFILE = process.argv.includes('--profile');
const TARGET_RATIO = 0.6;
const API_KEY = 'bench-api-key-0123456789';
// The built server (`pnpm bench` builds first), started with plain node as users run it.
const BIN = fileURLToPath(new URL('../packages/mock-server/dist/bin.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'caleida-bench-'));
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const children: ChildProcess[] = [];

const RECEIVER_SOURCE = `
let count = 0;
require('node:http').createServer((req, res) => {
  if (req.method === 'GET') return res.end(String(count));
  req.resume();
  req.on('end', () => { count++; res.writeHead(200).end(); });
}).listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });
`;

/**
 * The least a Node webhook sender must do per delivery, with nothing stored: sign the body with a
 * fresh id (HMAC-SHA256) and POST it over keep-alive connections with undici's dispatch(), the same
 * client the mock server uses, CONCURRENCY at a time. Prints its rate. Shows how much of the
 * distance to autocannon any Node sender must keep, before durability costs anything.
 */
const SENDER_FLOOR_SOURCE = `
const { createHmac, randomUUID } = require('node:crypto');
const { Pool } = require('undici');
const [url, concurrency, count, body] = process.argv.slice(1);
const target = new URL(url);
const pool = new Pool(target.origin, { connections: Number(concurrency) });
const key = Buffer.from('bench-sender-floor-key-0123456789');
const send = () => new Promise((resolve, reject) => {
  const id = 'evt_' + randomUUID();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', key).update(id + '.' + timestamp + '.').update(body).digest('base64');
  pool.dispatch({ path: target.pathname, method: 'POST', body, headers: {
    'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp,
    'webhook-signature': 'v1,' + signature } }, {
    onRequestStart() {}, onResponseStart() {}, onResponseData() {},
    onResponseEnd: resolve, onResponseError: (_controller, error) => reject(error),
  });
});
let next = 0;
const loop = async () => { while (next++ < Number(count)) await send(); };
const started = performance.now();
const cpuAtStart = process.cpuUsage();
Promise.all(Array.from({ length: Number(concurrency) }, loop)).then(async () => {
  const cpu = process.cpuUsage(cpuAtStart);
  console.log('rate ' + (Number(count) / ((performance.now() - started) / 1000)) + ' cpu ' + (cpu.user + cpu.system));
  await pool.close();
});
`;

function startChild(args: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  // From this folder, so that an inline script finds the benchmarks' dependencies (undici).
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: here });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) resolve({ child, match });
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${out}`)));
  });
}

async function startServer(extra: string[], nodeFlags: string[] = []) {
  const { child, match } = await startChild(
    [
      ...nodeFlags,
      BIN,
      'start',
      '--port',
      '0',
      '--db',
      join(dir, `mock-${children.length}.db`),
      '--api-key',
      API_KEY,
      '--log-level',
      'silent',
      ...extra,
    ],
    /listening on (http:\/\/\S+)/,
  );
  return { child, url: match[1] as string };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the mock server's API
function request(url: string, method: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, {
      method,
      agent,
      headers: {
        authorization: `Bearer ${API_KEY}`,
        ...(payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {}),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** POSTs one body through `pool` and resolves with the status code, the answer read and dropped. */
function post(pool: Pool, path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let status = 0;
    pool.dispatch(
      { path, method: 'POST', headers, body },
      {
        onRequestStart() {},
        onResponseStart(_controller, statusCode) {
          status = statusCode;
        },
        onResponseData() {},
        onResponseEnd: () => resolve(status),
        onResponseError: (_controller, error) => reject(error),
      },
    );
  });
}

/**
 * POSTs `count` events, one per request, `TRIGGER_CLIENTS` at a time over keep-alive connections.
 * The trigger client is not what is measured, so it uses undici's low-level `dispatch()`, which
 * costs the machine (two cores shared by client, server and receiver) far less CPU per request
 * than node:http.
 */
async function trigger(server: string, count: number, type = 'chat'): Promise<void> {
  const pool = new Pool(server, { connections: TRIGGER_CLIENTS });
  const body = JSON.stringify({ type });
  const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
  let next = 0;
  const loop = async () => {
    while (next++ < count) {
      const status = await post(pool, '/v1/events', headers, body);
      if (status !== 202) throw new Error(`trigger answered ${status}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: TRIGGER_CLIENTS }, loop));
  } finally {
    await pool.close();
  }
}

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const exited = (child: ChildProcess) =>
  child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));

try {
  const { child: receiver, match } = await startChild(['-e', RECEIVER_SOURCE], /port (\d+)/);
  // CPU µs per delivery of each process taking part, per round: what the two cores are spent on.
  const floorCpu: { sender: number; receiver: number }[] = [];
  const emitterCpu: { trigger: number; server: number; receiver: number }[] = [];
  const receiverUrl = `http://127.0.0.1:${match[1]}/hook`;
  const received = async () => Number((await request(receiverUrl, 'GET')).body);

  // Context: autocannon straight at the receiver.
  const sampleBody = JSON.stringify({
    type: 'chat',
    timestamp: new Date().toISOString(),
    data: { id: 'x'.repeat(250) },
  });
  const baseline = await autocannon({
    url: receiverUrl,
    method: 'POST',
    body: sampleBody,
    headers: { 'content-type': 'application/json' },
    connections: CONCURRENCY,
    duration: 5,
  });
  const baselineRate = baseline.requests.average;
  const senderFloor = async () => {
    const receiverBefore = processCpuMicros(receiver.pid as number);
    const { child: sender, match: floorMatch } = await startChild(
      ['-e', SENDER_FLOOR_SOURCE, receiverUrl, String(CONCURRENCY), String(EVENTS * WEBHOOKS), sampleBody],
      /rate ([\d.]+) cpu (\d+)/,
    );
    const deliveries = EVENTS * WEBHOOKS;
    floorCpu.push({
      sender: Number(floorMatch[2]) / deliveries,
      receiver: (processCpuMicros(receiver.pid as number) - receiverBefore) / deliveries,
    });
    await exited(sender);
    return Number(floorMatch[1]);
  };

  // 1. The emitter: trigger events, count deliveries reaching the same receiver.
  // Kept after the run, to open in Chrome DevTools or an editor.
  const profileDir = mkdtempSync(join(tmpdir(), 'caleida-emitter-profile-'));
  const server = await startServer(
    ['--concurrency', String(CONCURRENCY), '--per-webhook-concurrency', String(CONCURRENCY)],
    PROFILE ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  );
  for (let i = 0; i < WEBHOOKS; i++) {
    await request(`${server.url}/v1/webhooks`, 'POST', {
      url: receiverUrl,
      name: `bench ${i}`,
      secret: generateSecret(),
      events: ['chat'],
    });
  }
  const expected = EVENTS * WEBHOOKS;
  const emitterRound = async () => {
    const before = await received();
    const cpuBefore = {
      trigger: process.cpuUsage(),
      server: processCpuMicros(server.child.pid as number),
      receiver: processCpuMicros(receiver.pid as number),
    };
    const started = performance.now();
    await trigger(server.url, EVENTS);
    while ((await received()) - before < expected) await sleep(5);
    const rate = expected / ((performance.now() - started) / 1000);
    const triggerCpu = process.cpuUsage(cpuBefore.trigger);
    emitterCpu.push({
      trigger: (triggerCpu.user + triggerCpu.system) / expected,
      server: (processCpuMicros(server.child.pid as number) - cpuBefore.server) / expected,
      receiver: (processCpuMicros(receiver.pid as number) - cpuBefore.receiver) / expected,
    });
    return rate;
  };
  // Warm-up, not counted: one whole round (the first connections, JIT, the database's first
  // pages), finished before the first floor runs, so no round shares the machine with it.
  await emitterRound();
  emitterCpu.length = 0;
  const floorRates: number[] = [];
  const emitterRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    floorRates.push(await senderFloor());
    emitterRates.push(await emitterRound());
  }
  const ratios = emitterRates.map((rate, i) => rate / (floorRates[i] as number));
  // The API alone: the same triggers, for an event type no webhook takes.
  const apiStarted = performance.now();
  await trigger(server.url, EVENTS, 'message');
  const apiRate = EVENTS / ((performance.now() - apiStarted) / 1000);
  await sleep(300);
  const unfinished: number[] = [];
  for (const status of ['pending', 'in_flight', 'failed']) {
    unfinished.push(
      (await request(`${server.url}/v1/deliveries?status=${status}&limit=1000`, 'GET')).body.data.length,
    );
  }
  const allRecorded = unfinished.every((n) => n === 0);
  server.child.kill('SIGTERM');
  await exited(server.child);

  // 2. Latency when idle: one webhook, to a receiver in this process so receipt time is exact.
  const idle = await startServer([]);
  let onReceipt: (() => void) | undefined;
  const local = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      onReceipt?.();
      res.end();
    });
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  await request(`${idle.url}/v1/webhooks`, 'POST', {
    url: `http://127.0.0.1:${(local.address() as AddressInfo).port}/hook`,
    name: 'latency',
    secret: generateSecret(),
    events: ['message'],
  });
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES + 20; i++) {
    const t0 = performance.now();
    const arrived = new Promise<void>((resolve) => {
      onReceipt = resolve;
    });
    await request(`${idle.url}/v1/events`, 'POST', { type: 'message' });
    await arrived;
    if (i >= 20) latencies.push(performance.now() - t0);
    await sleep(2);
  }
  local.close();
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 0.5);
  const p99 = percentile(latencies, 0.99);
  idle.child.kill('SIGTERM');

  // 3. RSS with 100,000 pending deliveries: first attempts an hour away, so they all wait.
  const parked = await startServer(['--retry-schedule', '3600,3600']);
  await sleep(500);
  const idleRss = rssMb(parked.child.pid as number);
  for (let i = 0; i < PENDING_WEBHOOKS; i++) {
    await request(`${parked.url}/v1/webhooks`, 'POST', {
      url: receiverUrl,
      name: `parked ${i}`,
      secret: generateSecret(),
      events: ['insight.topic'],
    });
  }
  await trigger(parked.url, PENDING_TARGET / PENDING_WEBHOOKS, 'insight.topic');
  global.gc?.();
  await sleep(500);
  const pendingRss = rssMb(parked.child.pid as number);
  const pendingCount = (await request(`${parked.url}/v1/deliveries?status=pending&limit=1000`, 'GET')).body
    .data.length;
  parked.child.kill('SIGTERM');

  const ratio = median(ratios);
  const floorRate = median(floorRates);
  const emitterRate = median(emitterRates);
  const perRound = (rates: number[]) => rates.map((rate) => rate.toFixed(0)).join(', ');
  console.table([
    {
      figure: 'sender floor: sign + undici POST, nothing stored (baseline)',
      value: `${floorRate.toFixed(0)} req/s`,
      ratio: '1.00x',
      rounds: perRound(floorRates),
    },
    {
      figure: `emitter: ${EVENTS} events × ${WEBHOOKS} webhooks, trigger → receipt`,
      value: `${emitterRate.toFixed(0)} deliveries/s`,
      ratio: `${ratio.toFixed(2)}x`,
      rounds: `${perRound(emitterRates)} (${ratios.map((r) => r.toFixed(2)).join(', ')}x)`,
    },
    {
      figure: 'context: autocannon → receiver',
      value: `${baselineRate.toFixed(0)} req/s`,
      ratio: `${(baselineRate / floorRate).toFixed(2)}x`,
      rounds: '',
    },
    {
      figure: `context: trigger API alone, ${EVENTS} events nobody takes`,
      value: `${apiRate.toFixed(0)} events/s`,
      ratio: '',
      rounds: `${((emitterRate / WEBHOOKS / apiRate) * 100).toFixed(0)}% of an emitter round's time`,
    },
    { figure: 'idle latency p50 (trigger → receipt)', value: `${p50.toFixed(2)} ms`, ratio: '', rounds: '' },
    { figure: 'idle latency p99', value: `${p99.toFixed(2)} ms`, ratio: '', rounds: '' },
    { figure: 'RSS, idle server', value: `${idleRss.toFixed(0)} MB`, ratio: '1.00x', rounds: '' },
    {
      figure: `RSS with ${PENDING_TARGET} pending deliveries`,
      value: `${pendingRss.toFixed(0)} MB`,
      ratio: `${(pendingRss / idleRss).toFixed(2)}x`,
      rounds: '',
    },
  ]);
  // Where the two cores go, per delivery: if both kinds of round kept the cores equally busy, the
  // ratio would be the floor's CPU per delivery over the emitter's.
  const cpuOf = <T>(rounds: T[], pick: (round: T) => number) => median(rounds.map(pick));
  const floorTotal = cpuOf(floorCpu, (r) => r.sender + r.receiver);
  const emitterTotal = cpuOf(emitterCpu, (r) => r.trigger + r.server + r.receiver);
  const busy = (cpuPerDelivery: number, rate: number) =>
    `${(((cpuPerDelivery * rate) / (availableParallelism() * 1e6)) * 100).toFixed(0)}%`;
  const micros = (value: number) => value.toFixed(1);
  console.log('\nCPU per delivery (µs, median of rounds; every thread of each process counted):');
  console.table([
    {
      process: 'sender floor (sign + POST)',
      'floor round': micros(cpuOf(floorCpu, (r) => r.sender)),
      'emitter round': '',
    },
    {
      process: 'trigger client (this bench, ¼ event per delivery)',
      'floor round': '',
      'emitter round': micros(cpuOf(emitterCpu, (r) => r.trigger)),
    },
    {
      process: 'mock server (API, engine, writer thread)',
      'floor round': '',
      'emitter round': micros(cpuOf(emitterCpu, (r) => r.server)),
    },
    {
      process: 'receiver',
      'floor round': micros(cpuOf(floorCpu, (r) => r.receiver)),
      'emitter round': micros(cpuOf(emitterCpu, (r) => r.receiver)),
    },
    { process: 'all', 'floor round': micros(floorTotal), 'emitter round': micros(emitterTotal) },
    {
      process: 'cores busy',
      'floor round': busy(floorTotal, floorRate),
      'emitter round': busy(emitterTotal, emitterRate),
    },
  ]);
  console.log(
    `ratio the CPU figures predict (floor CPU / emitter CPU per delivery; it holds when both kinds of round keep the cores equally busy): ${(floorTotal / emitterTotal).toFixed(2)}x; measured ${ratio.toFixed(2)}x`,
  );
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  console.log(
    `concurrency ${CONCURRENCY} for both; ${ROUNDS} interleaved rounds; every delivery recorded succeeded: ${allRecorded} (unfinished: ${unfinished.join('/')})`,
  );
  console.log(
    `target emitter ≥ ${TARGET_RATIO}x of the sender floor, every delivery recorded: ${verdict(ratio >= TARGET_RATIO && allRecorded)}`,
  );
  console.log(`target p50 ≤ 5 ms: ${verdict(p50 <= 5)}`);
  console.log(
    `target RSS < 200 MB with ${PENDING_TARGET} pending (listing shows ≥ ${pendingCount} pending): ${verdict(pendingRss < 200)}`,
  );
  if (PROFILE) {
    // The main thread's (thread 0): the checkpoint worker writes one of its own.
    const [file] = readdirSync(profileDir).filter((name) => /\.0\.\d+\.cpuprofile$/.test(name));
    console.log(`\nthroughput server, self time by function (${join(profileDir, file as string)}):`);
    console.table(
      summarizeCpuProfile(join(profileDir, file as string), 15).map(({ name, file, ms, share }) => ({
        function: name,
        file,
        'self ms': ms.toFixed(0),
        share: `${(share * 100).toFixed(1)}%`,
      })),
    );
  }
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
}
