/**
 * `pnpm bench instructions`: the adapters against their frameworks' crypto floors again, counted in
 * CPU instructions per request under valgrind's callgrind instead of timed. On a shared VM the
 * timed ratios of `pnpm bench adapters` move by ±0.3 between runs minutes apart (the floors
 * themselves swing between about 45 and 85 µs of CPU per request), while an instruction count
 * mostly repeats within a few percent: it shows what each adapter's code adds. Not always: an app
 * can settle in a different compiled state from one run to the next (the fetch floor counted 209k
 * and 246k instructions per request in two runs), so compare runs before trusting a small step.
 * It does not see what costs time without instructions (cache misses, the collector's threads), so
 * it complements the timed bench rather than replacing it.
 *
 * Each app (bench/lib/adapter-app.ts) runs alone under callgrind; WARM_UP requests are sent
 * (fresh signed 1 KiB events, 4 keep-alive connections), the counters are zeroed, MEASURED more
 * are sent and the counters dumped. `--only koa,fetch` as in the adapters bench. Needs valgrind
 * (Debian: apt-get install -y valgrind); without it the bench says so and measures nothing.
 */
import { type ChildProcess, execFileSync, fork, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { selectAdapterGroups } from './lib/adapter-groups.js';
import { printTable } from './lib/print-table.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const quick = process.argv.includes('--quick');
const WARM_UP = quick ? 1000 : 3000;
const MEASURED = quick ? 1000 : 3000;
const CONNECTIONS = 4;
const TARGET = 0.9;

if (spawnSync('valgrind', ['--version']).error) {
  console.log(
    'valgrind is not installed, so nothing was counted: apt-get install -y valgrind, then run again.',
  );
  process.exit(0);
}

const appFile = fileURLToPath(new URL('./lib/adapter-app.ts', import.meta.url));
const event = buildEvent('message');
const base = JSON.stringify({ ...event, data: { ...event.data, content: '' } }).length;
const body = JSON.stringify({ ...event, data: { ...event.data, content: 'x'.repeat(1024 - base) } });

/** Sends `count` fresh signed events to the app on `port`; resolves with how many were not answered 200. */
async function drive(port: number, agent: http.Agent, count: number): Promise<number> {
  let sent = 0;
  let failed = 0;
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const signed = signedRequest({ secret: SECRET, event: body });
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/webhooks/caleida',
          method: 'POST',
          agent,
          headers: signed.headers,
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(signed.body);
    });
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (sent++ < count) if ((await one()) !== 200) failed++;
    }),
  );
  return failed;
}

/** Instructions per request of one app, after its warm-up. */
async function instructionsPerRequest(name: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'caleida-callgrind-'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let child: ChildProcess | undefined;
  try {
    child = fork(appFile, [name], {
      execPath: 'valgrind',
      execArgv: [
        '--tool=callgrind',
        `--callgrind-out-file=${join(dir, 'callgrind.%p')}`,
        process.execPath,
        '--import',
        'tsx',
      ],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    const started = child;
    const port = await new Promise<number>((resolve, reject) => {
      started.once('message', (message: { port: number }) => resolve(message.port));
      started.once('exit', (code) => reject(new Error(`${name} exited with ${code} under valgrind`)));
    });
    const pid = String(child.pid);
    const warmFailed = await drive(port, agent, WARM_UP);
    execFileSync('callgrind_control', ['--zero', pid], { stdio: 'ignore' });
    const failed = warmFailed + (await drive(port, agent, MEASURED));
    if (failed > 0) throw new Error(`${name}: ${failed} requests were not answered 200`);
    execFileSync('callgrind_control', ['--dump', pid], { stdio: 'ignore' });
    // The dump taken after zeroing: callgrind.<pid>.<n>, the highest n.
    const dumps = readdirSync(dir)
      .filter((file) => /^callgrind\.\d+\.\d+$/.test(file))
      .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
    const text = readFileSync(join(dir, dumps.at(-1) as string), 'utf8');
    const total = Number(/^(?:summary|totals):\s*(\d+)/m.exec(text)?.[1]);
    if (!Number.isFinite(total) || total === 0) throw new Error(`${name}: no instruction count in the dump`);
    return total / MEASURED;
  } finally {
    child?.kill('SIGKILL');
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: (string | number)[][] = [['app', 'instructions/request', 'floor / app', 'target']];
const missed: string[] = [];
for (const { floor, adapters } of selectAdapterGroups(process.argv)) {
  const floorCount = await instructionsPerRequest(floor);
  rows.push([floor, `${(floorCount / 1000).toFixed(0)}k`, '1.00x', '']);
  for (const adapter of adapters) {
    const count = await instructionsPerRequest(adapter);
    const ratio = floorCount / count;
    if (ratio < TARGET) missed.push(`${adapter}: ${ratio.toFixed(2)}x`);
    rows.push([
      adapter,
      `${(count / 1000).toFixed(0)}k`,
      `${ratio.toFixed(2)}x`,
      `>= ${TARGET}x ${ratio >= TARGET ? 'met' : 'MISSED'}`,
    ]);
  }
}
console.log(
  `Instructions per request under callgrind, after ${WARM_UP} warm-up requests, over ${MEASURED} fresh signed 1 KiB events:\n`,
);
printTable(rows);
console.log(
  missed.length === 0
    ? `\nEvery adapter within ${TARGET}x of its floor in instructions.`
    : `\nBelow ${TARGET}x of the floor in instructions: ${missed.join('; ')}.`,
);
