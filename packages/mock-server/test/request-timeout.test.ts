import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/mock-server-options.js';
import { startTestServer, type TestServer } from './helpers.js';

const REQUEST_TIMEOUT_MS = 400;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ requestTimeoutMs: REQUEST_TIMEOUT_MS });
});
afterAll(async () => {
  await server.stop();
});

/**
 * Opens a real socket, writes `head`, then one byte of `trickle` every 100 ms; resolves with what
 * the server answered once it closes the socket, or 'still open' after `giveUpMs`.
 */
function trickle(head: string, trickle: string, giveUpMs = 10_000) {
  const { hostname, port } = new URL(server.url);
  return new Promise<{ answer: string; closedAfterMs: number } | 'still open'>((resolve) => {
    const started = performance.now();
    const socket = connect(Number(port), hostname);
    let answer = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < trickle.length) socket.write(trickle[sent++] as string);
    }, 100);
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      resolve('still open');
    }, giveUpMs);
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ answer, closedAfterMs: performance.now() - started });
    });
    socket.write(head);
  });
}

describe('requestTimeoutMs', () => {
  it('a body trickled one byte at a time gets 408 request_timeout and its socket closed', async () => {
    const body = JSON.stringify({ type: 'chat' }).padEnd(200, ' ');
    const result = await trickle(
      `POST /v1/events HTTP/1.1\r\nHost: mock\r\nAuthorization: Bearer ${server.apiKey}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(result).not.toBe('still open');
    if (result === 'still open') return;
    expect(result.answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    const json = JSON.parse(result.answer.slice(result.answer.indexOf('\r\n\r\n') + 4));
    expect(json).toEqual({
      code: 'request_timeout',
      message: `The request did not arrive whole within ${REQUEST_TIMEOUT_MS} ms; send the headers and body at once.`,
    });
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(result.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2000);
  });

  it('headers trickled one byte at a time get 408 too', async () => {
    const result = await trickle(
      '',
      `GET /healthz HTTP/1.1\r\nHost: mock\r\nX-Slow: ${'x'.repeat(100)}\r\n\r\n`,
    );
    expect(result).not.toBe('still open');
    if (result === 'still open') return;
    expect(result.answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a request that arrives at once is answered as usual', async () => {
    expect(await server.api('POST', '/v1/events', { type: 'chat' })).toMatchObject({ status: 202 });
  });

  it('defaults to 30 s, and a bad value is refused at start', async () => {
    expect(resolveOptions({}).requestTimeoutMs).toBe(30_000);
    await expect(startTestServer({ requestTimeoutMs: 0 })).rejects.toMatchObject({
      code: 'invalid_option',
      message: expect.stringMatching(/request timeout must be a whole number of milliseconds ≥ 1; got 0/),
    });
  });
});
