/**
 * `pnpm bench simulator`: the rate `caleida-sim load` achieves against a no-op receiver, beside
 * autocannon's rate against the same receiver at the same concurrency, in interleaved rounds.
 * Target: load >= 0.9x autocannon, with every request signed with its own id (the receiver checks
 * distinct ids on a sample). Each round also prints both clients' CPU time per request (load's
 * without its start-up), which tells more than the rates when other work shares the cores. Then a
 * 60 s run of the real CLI process, whose RSS is read from /proc/<pid>/status after 10 s and after
 * 60 s: it must not grow by more than RSS_GROWTH_BOUND.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import autocannon from 'autocannon';
import { printTable } from './lib/print-table.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const CONCURRENCY = 16;
const SECONDS = 6;
const ROUNDS = 2;
const TARGET = 0.9;
const LONG_RUN_SECONDS = 60;
/**
 * How much load's RSS may grow between 10 s and 60 s of a run. Its latencies live in a histogram of
 * fixed size, allocated before the first request, and everything else is per request and freed; what
 * still moves RSS after 10 s is V8 settling its heap sizes under a fast receiver (10.6 MiB in one run
 * at 12,000 req/s on a busy machine while each socket read allocated its own buffer; 0.2 MiB at
 * 12,500 req/s since reads go into one shared buffer). 16 MiB allows for that and fails a leak of
 * about 30 bytes per request at 12,000 req/s. A list of every latency (8 bytes a request) hides
 * within it at these rates: the table prints what such a list would have added.
 */
const RSS_GROWTH_BOUND_MIB = 16;
const quick = process.argv.includes('--quick');
const here = dirname(fileURLToPath(import.meta.url));
// The built bin, exactly what `npx caleida-sim` runs (`pnpm bench` builds first).
const bin = join(here, '..', 'packages', 'simulator', 'dist', 'bin.js');
// Preloaded into load to report its CPU time at exit: CPU per request is a figure a busy shared
// machine disturbs far less than a rate, which depends on what else gets the cores.
const cpuReporter = join(here, 'lib', 'report-cpu-at-exit.cjs');

// The receiver runs in its own process, so neither client shares its event loop with it. It checks
// that every request carries its own id on a sample (ids whose last character's code is a multiple
// of 16, about 1 in 20): a Set of every id grows by about 200,000 strings per round under load but
// not under autocannon (one id), and that work alone slowed the receiver by about 0.1x in load's
// rounds only.
const RECEIVER = `
const http = require('node:http');
let requests = 0; let sampled = 0; const ids = new Set();
const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    if (req.url === '/reset') { requests = 0; sampled = 0; ids.clear(); }
    res.end(JSON.stringify({ requests, sampled, distinctSampled: ids.size }));
    return;
  }
  requests++;
  const id = req.headers['webhook-id'] || '';
  if (id.charCodeAt(id.length - 1) % 16 === 0) { sampled++; ids.add(id); }
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"received":true}'); });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

function startReceiver(): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout?.once('data', (chunk) =>
      resolve({ url: `http://127.0.0.1:${String(chunk).trim()}/`, child }),
    );
    child.once('error', reject);
  });
}

interface ReceiverStats {
  requests: number;
  /** Requests in the sample, and the distinct ids among them. */
  sampled: number;
  distinctSampled: number;
}

async function stats(url: string, reset = false): Promise<ReceiverStats> {
  const response = await fetch(new URL(reset ? '/reset' : '/stats', url));
  return (await response.json()) as ReceiverStats;
}

/** A client's rate, and the CPU time it spent per completed request. */
interface ClientRun {
  rate: number;
  cpuUsPerRequest: number;
}

async function runAutocannon(url: string): Promise<ClientRun> {
  const { body, headers } = signedRequest({ secret: SECRET, event: buildEvent('message', { seed: 1 }) });
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url,
    method: 'POST',
    body,
    headers,
    connections: CONCURRENCY,
    duration: SECONDS,
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    rate: result.requests.total / SECONDS,
    cpuUsPerRequest: (cpu.user + cpu.system) / result.requests.total,
  };
}

interface LoadRun {
  rate: number;
  /** Completed requests. */
  sent: number;
  /** CPU time of the whole process, start-up included, in microseconds. */
  cpuUs: number;
  /** VmRSS of the load process, in KiB, by second since it started. */
  rssKiB: Map<number, number>;
}

/** VmRSS of a live process, in KiB, or undefined once it has gone (or off Linux). */
function rssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the built bin for `seconds` (fractions allowed), its CPU time reported at exit. */
function runLoadCli(url: string, seconds = SECONDS): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        cpuReporter,
        bin,
        'load',
        '--url',
        url,
        '--secret',
        SECRET,
        '--duration',
        `${Math.round(seconds * 1000)}ms`,
        '--concurrency',
        String(CONCURRENCY),
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'inherit', 'pipe'] },
    );
    let stdout = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    let cpuText = '';
    child.stdio[3]?.on('data', (chunk) => (cpuText += chunk));
    // Sampled from outside the process, each whole second, so the measurement costs load nothing.
    const rss = new Map<number, number>();
    const started = performance.now();
    const sampler = setInterval(() => {
      const value = child.pid === undefined ? undefined : rssKiB(child.pid);
      if (value !== undefined) rss.set(Math.round((performance.now() - started) / 1000), value);
    }, 1000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearInterval(sampler);
      const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
        achievedRate?: number;
        sent?: number;
        errors?: number;
      };
      if (code !== 0 || !summary.achievedRate)
        reject(new Error(`caleida-sim load exited with ${code}: ${stdout}`));
      else
        resolve({ rate: summary.achievedRate, sent: summary.sent ?? 0, cpuUs: Number(cpuText), rssKiB: rss });
    });
  });
}

const receiver = await startReceiver();
try {
  // Warm-up: JIT and connection set-up for both clients.
  await autocannon({ url: receiver.url, method: 'POST', body: '{}', connections: CONCURRENCY, duration: 1 });
  // What load's start-up costs (yargs, modules, the body pool), taken off its CPU per request below.
  const startupCpuUs = (await runLoadCli(receiver.url, 0.001)).cpuUs;
  const rows: (string | number)[][] = [
    [
      'round',
      'autocannon req/s',
      'load req/s',
      'CPU µs per request: autocannon, load',
      'load: distinct ids / requests, in the sample',
    ],
  ];
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const baseline = await runAutocannon(receiver.url);
    await stats(receiver.url, true);
    const load = await runLoadCli(receiver.url);
    const seen = await stats(receiver.url);
    if (seen.sampled === 0 || seen.distinctSampled !== seen.sampled)
      throw new Error(`load reused ids: ${seen.distinctSampled} ids for ${seen.sampled} sampled requests`);
    ratios.push(load.rate / baseline.rate);
    rows.push([
      round,
      baseline.rate.toFixed(0),
      load.rate.toFixed(0),
      `${baseline.cpuUsPerRequest.toFixed(1)}, ${((load.cpuUs - startupCpuUs) / load.sent).toFixed(1)}`,
      `${seen.distinctSampled} / ${seen.sampled} (of ${seen.requests})`,
    ]);
  }
  printTable(rows);
  const ratio = ratios.reduce((sum, each) => sum + each, 0) / ratios.length;
  const met = ratio >= TARGET;
  console.log(
    `\nload / autocannon at concurrency ${CONCURRENCY}: ${ratio.toFixed(2)}x (rounds: ${ratios.map((each) => each.toFixed(2)).join(', ')}); target >= ${TARGET}x: ${met ? 'met' : 'MISSED'}`,
  );
  let rssMet = true;
  if (!quick) {
    console.log(`\nA ${LONG_RUN_SECONDS} s run of caleida-sim load, its RSS sampled from outside:\n`);
    const long = await runLoadCli(receiver.url, LONG_RUN_SECONDS);
    const at10 = long.rssKiB.get(10);
    const at60 = long.rssKiB.get(LONG_RUN_SECONDS) ?? long.rssKiB.get(LONG_RUN_SECONDS - 1);
    if (at10 === undefined || at60 === undefined)
      throw new Error('could not read the RSS of caleida-sim load');
    const growthMiB = (at60 - at10) / 1024;
    const listMiB = (long.rate * (LONG_RUN_SECONDS - 10) * 8) / 1024 / 1024;
    rssMet = growthMiB <= RSS_GROWTH_BOUND_MIB;
    printTable([
      [
        'rate',
        'RSS at 10 s',
        `RSS at ${LONG_RUN_SECONDS} s`,
        'growth',
        'a list of every latency would add',
        'bound',
      ],
      [
        `${long.rate.toFixed(0)} req/s`,
        `${(at10 / 1024).toFixed(1)} MiB`,
        `${(at60 / 1024).toFixed(1)} MiB`,
        `${growthMiB.toFixed(1)} MiB`,
        `>= ${listMiB.toFixed(1)} MiB`,
        `<= ${RSS_GROWTH_BOUND_MIB} MiB ${rssMet ? 'met' : 'MISSED'}`,
      ],
    ]);
  }
  console.log(
    `\nTargets ${met && rssMet ? 'met' : 'MISSED'}: load >= ${TARGET}x autocannon ${met ? 'met' : 'MISSED'}${quick ? '' : `, RSS growth from 10 s to ${LONG_RUN_SECONDS} s <= ${RSS_GROWTH_BOUND_MIB} MiB ${rssMet ? 'met' : 'MISSED'}`}.`,
  );
  if (!met || !rssMet) process.exitCode = 1;
} finally {
  receiver.child.kill();
}
