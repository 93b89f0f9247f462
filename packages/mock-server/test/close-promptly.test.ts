import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  captureLogs,
  eventually,
  type LogLine,
  startTestServer,
  type TestServer,
  tempDir,
} from './helpers.js';
import { collectOutput, spawnCli } from './spawn-cli.js';

/** Well under the 4 s that fetch (undici) keeps an idle connection before closing it itself. */
const PROMPT_CLOSE_MS = 1000;
/** A process also stops its engine, closes its database and exits: more room on a busy machine. */
const PROMPT_EXIT_MS = 3000;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Resolves once `condition()` holds, for at most `timeoutMs` (polled by the shared `eventually`). */
function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<true> {
  return eventually(async () => ((await condition()) ? true : undefined), timeoutMs);
}

/** True once the port refuses new connections, that is once the server stopped listening. */
function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** A POST /v1/events sent in two halves on a raw keep-alive connection, so the test sees who closes it. */
function startArrivingEvent(url: string, apiKey: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const state = { received: '', endedByServer: false };
  socket.on('data', (chunk: Buffer) => {
    state.received += chunk.toString();
  });
  socket.on('end', () => {
    state.endedByServer = true;
  });
  const body = '{"type":"chat"}';
  socket.write(
    `POST /v1/events HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${apiKey}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n` +
      body.slice(0, 8),
  );
  return {
    /** Sends the rest of the body, then resolves once the answer is in and the server ended the connection. */
    async finish(): Promise<string> {
      socket.write(body.slice(8));
      await until(() => state.received.includes('"deliveries"'), PROMPT_CLOSE_MS);
      expect(state.received).toMatch(/^HTTP\/1\.1 202 /);
      expect(state.received).toMatch(/\r\nconnection: close\r\n/i);
      await until(() => state.endedByServer, PROMPT_CLOSE_MS);
      return state.received;
    },
    destroy: () => socket.destroy(),
  };
}

async function startLogged(): Promise<{ server: TestServer; logged(msg: string): number }> {
  const logs = captureLogs('debug');
  server = await startTestServer({ logger: logs.logger });
  return {
    server,
    logged: (msg) => logs.lines.filter((line: LogLine) => line.msg === msg).length,
  };
}

describe('close() resolves promptly while fetch clients keep connections alive', () => {
  it('after a client aborted a long-poll and opened another keep-alive connection', async () => {
    const { server, logged } = await startLogged();
    const headers = { authorization: `Bearer ${server.apiKey}` };
    const aborter = new AbortController();
    const wait = fetch(`${server.url}/v1/deliveries/wait?event_id=evt_never&timeout_ms=20000`, {
      headers,
      signal: aborter.signal,
    });
    await until(() => logged('long-poll waiting') === 1);
    aborter.abort();
    await expect(wait).rejects.toThrow(/abort/i);
    await until(() => logged('long-poll released: the client went away') === 1);
    const list = await fetch(`${server.url}/v1/deliveries`, { headers });
    expect(list.status).toBe(200);
    await list.json();

    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(PROMPT_CLOSE_MS);
  });

  it('with a long-poll open: the poll is answered timed_out and close() does not wait for its connection', async () => {
    const { server, logged } = await startLogged();
    const headers = { authorization: `Bearer ${server.apiKey}` };
    const wait = fetch(`${server.url}/v1/deliveries/wait?event_id=evt_never&timeout_ms=20000`, { headers });
    await until(() => logged('long-poll waiting') === 1);

    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(PROMPT_CLOSE_MS);
    const answer = await wait;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ timed_out: true, data: [] });
  });

  it('with a request still arriving when the server stops listening: it is answered, then its connection closed', async () => {
    const { server, logged } = await startLogged();
    const arriving = startArrivingEvent(server.url, server.apiKey);
    try {
      await until(() => logged('incoming request') === 1);
      const started = performance.now();
      const closed = server.close();
      // The rest of the body comes only once the server has stopped taking connections, so the
      // answer is written after close began.
      await until(() => refusesConnections(server.url));
      await arriving.finish();
      await closed;
      expect(performance.now() - started).toBeLessThan(PROMPT_CLOSE_MS);
    } finally {
      arriving.destroy();
    }
  });
});

describe('caleida-mock start', () => {
  it('exits promptly on SIGTERM, answering a request still arriving and closing its connection', async () => {
    const dir = tempDir();
    const child = spawnCli([
      'start',
      '--json',
      '--port',
      '0',
      '--db',
      join(dir.path, 'mock.db'),
      '--log-level',
      'info',
    ]);
    const output = collectOutput(child);
    let arriving: ReturnType<typeof startArrivingEvent> | undefined;
    try {
      await until(() => output.stdout.includes('\n'), 20_000);
      const { url, apiKey } = JSON.parse(output.stdout) as { url: string; apiKey: string };
      arriving = startArrivingEvent(url, apiKey);
      await until(() => output.stderr.includes('"incoming request"'));
      const started = performance.now();
      child.kill('SIGTERM');
      await until(() => refusesConnections(url));
      await arriving.finish();
      expect(await output.exited).toBe(0);
      expect(performance.now() - started).toBeLessThan(PROMPT_EXIT_MS);
    } finally {
      arriving?.destroy();
      child.kill('SIGKILL');
      dir.cleanup();
    }
  }, 30_000);
});
