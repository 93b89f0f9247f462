/**
 * `pnpm bench simulator`: the rate `caleida-sim load` achieves against a no-op receiver, beside
 * autocannon's rate against the same receiver at the same concurrency. Target: load >= 0.8x
 * autocannon, with every request signed with its own id (the receiver checks distinct ids on a sample).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import autocannon from 'autocannon';
import { printTable } from './lib/print-table.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const CONCURRENCY = 16;
const SECONDS = 6;
const ROUNDS = 2;
const TARGET = 0.8;
const here = dirname(fileURLToPath(import.meta.url));
// The built bin, exactly what `npx caleida-sim` runs (`pnpm bench` builds first).
const bin = join(here, '..', 'packages', 'simulator', 'dist', 'bin.js');

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

async function runAutocannon(url: string): Promise<number> {
  const { body, headers } = signedRequest({ secret: SECRET, event: buildEvent('message', { seed: 1 }) });
  const result = await autocannon({
    url,
    method: 'POST',
    body,
    headers,
    connections: CONCURRENCY,
    duration: SECONDS,
  });
  return result.requests.total / SECONDS;
}

function runLoadCli(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        bin,
        'load',
        '--url',
        url,
        '--secret',
        SECRET,
        '--duration',
        `${SECONDS}s`,
        '--concurrency',
        String(CONCURRENCY),
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
        achievedRate?: number;
        errors?: number;
      };
      if (code !== 0 || !summary.achievedRate)
        reject(new Error(`caleida-sim load exited with ${code}: ${stdout}`));
      else resolve(summary.achievedRate);
    });
  });
}

const receiver = await startReceiver();
try {
  // Warm-up: JIT and connection set-up for both clients.
  await autocannon({ url: receiver.url, method: 'POST', body: '{}', connections: CONCURRENCY, duration: 1 });
  const rows: (string | number)[][] = [
    ['round', 'autocannon req/s', 'load req/s', 'load: distinct ids / requests, in the sample'],
  ];
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const baseline = await runAutocannon(receiver.url);
    await stats(receiver.url, true);
    const load = await runLoadCli(receiver.url);
    const seen = await stats(receiver.url);
    if (seen.sampled === 0 || seen.distinctSampled !== seen.sampled)
      throw new Error(`load reused ids: ${seen.distinctSampled} ids for ${seen.sampled} sampled requests`);
    ratios.push(load / baseline);
    rows.push([
      round,
      baseline.toFixed(0),
      load.toFixed(0),
      `${seen.distinctSampled} / ${seen.sampled} (of ${seen.requests})`,
    ]);
  }
  printTable(rows);
  const ratio = ratios.reduce((sum, each) => sum + each, 0) / ratios.length;
  const met = ratio >= TARGET;
  console.log(
    `\nload / autocannon at concurrency ${CONCURRENCY}: ${ratio.toFixed(2)}x (rounds: ${ratios.map((each) => each.toFixed(2)).join(', ')}); target >= ${TARGET}x: ${met ? 'met' : 'NOT met'}`,
  );
  if (!met) process.exitCode = 1;
} finally {
  receiver.child.kill();
}
