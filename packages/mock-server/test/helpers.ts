import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret } from '@caleida/verify';
import { type MockServer, type MockServerOptions, startMockServer } from '../src/index.js';

/** One request a receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What a receiver answers: a status, optional headers and body; or 'hang' to never answer. */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** A real HTTP receiver on 127.0.0.1 that records every request. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** Starts a receiver that answers each request with `answer(request, index)` (default 200), at once or when its promise resolves. */
export async function startReceiver(
  answer: (received: Received, index: number) => Answer | Promise<Answer> = () => ({ status: 200 }),
): Promise<Receiver> {
  const received: Received[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(entry);
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
      const send = (reply: Answer): void => {
        if (reply !== 'hang') response.writeHead(reply.status, reply.headers).end(reply.body ?? '');
      };
      const reply = answer(entry, received.length - 1);
      if (reply instanceof Promise) void reply.then(send);
      else send(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/caleida`,
    received,
    waitFor(count, timeoutMs = 10_000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver got ${received.length} of ${count} requests in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A temporary folder for SQLite files, removed by `cleanup()`. */
export function tempDir(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'caleida-mock-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A mock server on a real SQLite file in a temp folder, and a small API client for it. */
export async function startTestServer(options: MockServerOptions = {}): Promise<TestServer> {
  const dir = tempDir();
  const server = await startMockServer({
    port: 0,
    db: join(dir.path, 'mock.db'),
    retryJitter: 0,
    ...options,
  });
  return Object.assign(server, {
    dir: dir.path,
    api: createApi(server),
    async stop() {
      await server.close();
      dir.cleanup();
    },
  });
}

export type TestServer = MockServer & { dir: string; api: Api; stop(): Promise<void> };

/** What an API call returned. */
// biome-ignore lint/suspicious/noExplicitAny: bodies are JSON from the API under test, checked by each test
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}
export type Api = (
  method: string,
  path: string,
  body?: unknown,
  init?: { key?: string | null },
) => Promise<ApiResponse>;

/** Calls the mock server's API with its key (or `key`, or none with `key: null`). */
export function createApi(server: Pick<MockServer, 'url' | 'apiKey'>): Api {
  return async (method, path, body, init = {}) => {
    const key = init.key === undefined ? server.apiKey : init.key;
    const headers: Record<string, string> = {};
    if (key !== null) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const answer = { status: response.status, body: text ? JSON.parse(text) : undefined };
    // Not enumerable: tests compare answers with toEqual({ status, body }).
    return Object.defineProperty(answer, 'headers', { value: response.headers }) as ApiResponse;
  };
}

let names = 0;
/** A valid webhook body; `overrides` break one thing at a time. */
export function webhookInput(url: string, overrides: Record<string, unknown> = {}) {
  names++;
  return {
    url,
    name: `Orders ${names}`,
    secret: generateSecret(),
    events: ['chat', 'message'],
    ...overrides,
  };
}

/** Polls `check` until it returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Item `index` of a list, or a clear failure when the list is shorter. */
export function nth<T>(list: readonly T[], index: number): T {
  if (index >= list.length) throw new Error(`expected at least ${index + 1} items, got ${list.length}`);
  return list[index] as T;
}

/** One line the mock server logged. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A `logger` option that keeps every line the server logs at `level` or above, and the lines so far. */
export function captureLogs(level: 'info' | 'debug' = 'info'): {
  logger: MockServerOptions['logger'];
  lines: LogLine[];
} {
  const lines: LogLine[] = [];
  return {
    lines,
    logger: {
      level,
      stream: {
        write(line: string) {
          lines.push(JSON.parse(line) as LogLine);
        },
      },
    },
  };
}
