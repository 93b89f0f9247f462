import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSecret, verify } from '@caleida/verify';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../src/load/run-load.js';

const secret = generateSecret();
let server: http.Server | undefined;
afterEach(async () => {
  const running = server;
  server = undefined;
  running?.closeAllConnections();
  if (running) await new Promise((resolve) => running.close(resolve));
});

describe('runLoad()', () => {
  it('counts every answer by status and every dropped connection as an error, each request signed afresh', async () => {
    const seen = { requests: 0, answered: { 200: 0, 503: 0 }, dropped: 0, invalid: 0 };
    const ids = new Set<string>();
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const number = ++seen.requests;
        try {
          ids.add(verify({ secret, payload: Buffer.concat(chunks), headers: request.headers }).id);
        } catch {
          seen.invalid++;
        }
        if (number % 7 === 0) {
          seen.dropped++;
          request.socket.destroy();
        } else if (number % 4 === 0) {
          seen.answered[503]++;
          response.writeHead(503).end('busy');
        } else {
          seen.answered[200]++;
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
        }
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`);

    const summary = await runLoad({ url, secret, durationMs: 500, concurrency: 4 });

    expect(seen.requests).toBeGreaterThan(20);
    expect(seen.invalid).toBe(0);
    expect(ids.size).toBe(seen.requests);
    expect(summary).toMatchObject({
      sent: seen.requests,
      statuses: { 200: seen.answered[200], 503: seen.answered[503] },
      errors: seen.dropped,
      errorMessages: [`${url.origin} closed the connection without answering.`],
      unreachable: false,
    });
    expect(summary.latencyMs.p50).toBeGreaterThan(0);
    expect(summary.achievedRate).toBeCloseTo(
      (seen.answered[200] + seen.answered[503]) / (summary.elapsedMs / 1000),
      6,
    );
  });
});
