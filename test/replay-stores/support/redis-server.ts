import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';
const INSTALL_HINT = 'Install it with: apt-get install -y redis-server (or set REDIS_SERVER to its path).';

/** A real redis-server on 127.0.0.1, without persistence; `stop()` and `start()` keep its port. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a redis-server on a free port (or `port`) and waits until it answers PING. */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const chosen = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'caleida-redis-'));
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    async start() {
      let output = '';
      const started = spawn(
        REDIS_SERVER,
        ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = started;
      started.stdout?.on('data', (chunk) => (output += chunk));
      started.stderr?.on('data', (chunk) => (output += chunk));
      const failed = new Promise<never>((_, reject) => {
        started.once('error', (error) =>
          reject(new Error(`Could not start redis-server (${error.message}). ${INSTALL_HINT}`)),
        );
        started.once('exit', (code) =>
          reject(new Error(`redis-server exited with code ${code}: ${output.trim()}\n${INSTALL_HINT}`)),
        );
      });
      failed.catch(() => {});
      await Promise.race([waitForPing(chosen), failed]);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
  };
  await server.start();
  const stop = server.stop;
  server.stop = async () => {
    await stop();
  };
  process.once('exit', () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  return server;
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server did not answer on 127.0.0.1:${port} within 10 s. ${INSTALL_HINT}`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}
