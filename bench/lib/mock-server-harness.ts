import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

/** The API key every benchmark server is started with. */
export const BENCH_API_KEY = 'bench-api-key-0123456789';
// The built server (`pnpm bench` builds first), started with plain node as users run it.
const BIN = fileURLToPath(new URL('../../packages/mock-server/dist/bin.js', import.meta.url));
const benchFolder = fileURLToPath(new URL('..', import.meta.url));

/**
 * A receiver that answers 200 to every POST as fast as node:http can, and answers a GET with how
 * many POSTs it has had. Run in a process of its own, so it can be paused with SIGSTOP.
 */
const RECEIVER_SOURCE = `
let count = 0;
const server = require('node:http').createServer((req, res) => {
  if (req.method === 'GET') return res.end(String(count));
  req.resume();
  req.on('end', () => { count++; res.writeHead(200).end(); });
});
// No idle timeout: after a SIGSTOP, its timer would fire on SIGCONT before the requests that
// arrived meanwhile are read, and reset those connections.
server.keepAliveTimeout = 0;
server.listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });
`;

/** Child processes started by this harness, to kill on the way out. */
export const children: ChildProcess[] = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** Starts `node ...args` and resolves once its stdout matches `ready`. */
export function startChild(
  args: string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: benchFolder });
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

/** Starts the built mock server on a new SQLite file in `dir`, with extra CLI options. */
export async function startMockServer(
  dir: string,
  extra: string[],
): Promise<{ child: ChildProcess; url: string }> {
  const db = join(dir, `mock-${children.length}.db`);
  const { child, match } = await startChild(
    [BIN, 'start', '--port', '0', '--db', db, '--api-key', BENCH_API_KEY, '--log-level', 'silent', ...extra],
    /listening on (http:\/\/\S+)/,
  );
  return { child, url: match[1] as string };
}

/** Starts the counting receiver; `received()` asks it how many POSTs it has answered. */
export async function startReceiver(): Promise<{
  child: ChildProcess;
  url: string;
  received: () => Promise<number>;
}> {
  const { child, match } = await startChild(['-e', RECEIVER_SOURCE], /port (\d+)/);
  const url = `http://127.0.0.1:${match[1]}/hook`;
  return { child, url, received: async () => Number((await request(url, 'GET')).body) };
}

/** One JSON request to the mock server's API (or the receiver), with the bench API key. */
// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the mock server's API
export function request(url: string, method: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, {
      method,
      agent,
      headers: {
        authorization: `Bearer ${BENCH_API_KEY}`,
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
        try {
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: text });
        }
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * POSTs `count` events of `type` to the server, `clients` at a time over keep-alive connections,
 * with undici's low-level dispatch(), which costs the shared machine less CPU than node:http.
 */
export async function triggerEvents(server: string, count: number, type: string, clients = 8): Promise<void> {
  const pool = new Pool(server, { connections: clients });
  const body = JSON.stringify({ type });
  const headers = { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' };
  const post = (): Promise<number> =>
    new Promise((resolve, reject) => {
      let status = 0;
      pool.dispatch(
        { path: '/v1/events', method: 'POST', headers, body },
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
  let next = 0;
  const loop = async () => {
    while (next++ < count) {
      const status = await post();
      if (status !== 202) throw new Error(`POST /v1/events answered ${status}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(clients, count) }, loop));
  } finally {
    await pool.close();
  }
}

/** Resident set size of a process, in MiB. */
export const rssMiB = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Kills every child still running and drops the keep-alive connections. */
export function stopAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  }
  agent.destroy();
}
