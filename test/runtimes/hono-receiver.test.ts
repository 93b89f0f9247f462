import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import app from '../../examples/hono-receiver.js';
import { RUNTIMES, type RunningServer, startRuntime } from './start-runtime.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WRONG_SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ==';
const EXAMPLE = fileURLToPath(new URL('../../examples/hono-receiver.ts', import.meta.url));

/** The example on Node, through @hono/node-server, with the secret in process.env as a user would set it. */
async function startOnNode(): Promise<RunningServer> {
  process.env.CALEIDA_WEBHOOK_SECRET = SECRET;
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        delete process.env.CALEIDA_WEBHOOK_SECRET;
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function post(url: string, secret: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const request = signedRequest({ secret, event: buildEvent('message') });
  const response = await fetch(`${url}/webhooks/caleida`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe.each(['node', ...RUNTIMES] as const)('examples/hono-receiver.ts on %s', (runtime) => {
  let server: RunningServer;

  beforeAll(async () => {
    server =
      runtime === 'node'
        ? await startOnNode()
        : await startRuntime(runtime, EXAMPLE, { CALEIDA_WEBHOOK_SECRET: SECRET });
  });
  afterAll(() => server?.close());

  it('answers a signed request 200 with the event id and type', async () => {
    const response = await post(server.url, SECRET);
    expect(response).toMatchObject({ status: 200, json: { received: true, type: 'message' } });
  });

  it('answers a request signed with another secret 401 no_matching_signature', async () => {
    const response = await post(server.url, WRONG_SECRET);
    expect({ status: response.status, code: response.json.code }).toEqual({
      status: 401,
      code: 'no_matching_signature',
    });
  });
});
