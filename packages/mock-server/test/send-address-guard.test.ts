import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AddressRefusedError } from '../src/webhooks/address-refused-error.js';
import { createGuardedAgent } from '../src/webhooks/create-guarded-agent.js';
import { createGuardedLookup } from '../src/webhooks/create-guarded-lookup.js';
import { eventually, nth, startTestServer, type TestServer, webhookInput } from './helpers.js';

/** A lookup that resolves every name through `table` (a function, to change answers mid-test). */
function lookupFrom(table: (hostname: string) => string): LookupFunction {
  return (hostname, options, callback) => {
    const address = table(hostname);
    const family = address.includes(':') ? 6 : 4;
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/** A receiver that answers every POST 200 with a body that must never reach the delivery log. */
async function startSecretReceiver(host = '127.0.0.1', headers: Record<string, string> = {}) {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(request.url ?? '');
    request.resume();
    request.on('end', () => response.writeHead(200, headers).end('AccessKeyId=SECRET-FROM-METADATA'));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type SecretReceiver = Awaited<ReturnType<typeof startSecretReceiver>>;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function receiverOn(host?: string, headers?: Record<string, string>): Promise<SecretReceiver> {
  const receiver = await startSecretReceiver(host, headers);
  cleanups.push(receiver.close);
  return receiver;
}
async function serverWith(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer({ allowHttp: true, retrySchedule: [0, 0.1, 0.1], ...options });
  cleanups.push(server.stop);
  return server;
}

/** A delivery as `GET /v1/deliveries` shows it, as far as these tests read it. */
interface DeliveryView {
  status: string;
  attempt_count: number;
  attempts: Array<{ status_code: number | null; error: string | null; response_excerpt: string | null }>;
}

/** Triggers one `chat` event and waits until its delivery to `webhookId` is no longer pending. */
async function deliverOne(server: TestServer, webhookId: string): Promise<DeliveryView> {
  const { body } = await server.api('POST', '/v1/events', { type: 'chat' });
  const eventId = body.event.id as string;
  return eventually(async () => {
    const list = await server.api('GET', `/v1/deliveries?event_id=${eventId}&webhook_id=${webhookId}`);
    const delivery = list.body.data[0];
    return delivery && delivery.status !== 'pending' && delivery.status !== 'in_flight'
      ? delivery
      : undefined;
  });
}

describe('createGuardedAgent()', () => {
  const post = (agent: ReturnType<typeof createGuardedAgent>, url: string) =>
    agent.request({ origin: new URL(url).origin, path: '/hook', method: 'POST', body: '{}' }).then(
      async (response) => ({ status: response.statusCode, body: await response.body.text() }),
      (error: unknown) => error,
    );

  it('refuses an IP in the URL before connecting: 0.0.0.0 would reach this machine', async () => {
    const receiver = await receiverOn();
    const agent = createGuardedAgent({ connections: 1 });
    cleanups.push(() => agent.destroy());
    const error = await post(agent, `http://0.0.0.0:${receiver.port}`);
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect(error).toMatchObject({
      rule: 'unspecified',
      message: expect.stringMatching(/^refused to connect to 0\.0\.0\.0, the unspecified address/),
    });
    expect(receiver.hits).toEqual([]);
  });

  it('refuses a host name whose lookup answers a refused address', async () => {
    const receiver = await receiverOn();
    const agent = createGuardedAgent({ connections: 1, lookup: lookupFrom(() => '::ffff:0.0.0.0') });
    cleanups.push(() => agent.destroy());
    const error = await post(agent, `http://rebound.test:${receiver.port}`);
    expect(error).toMatchObject({
      name: 'AddressRefusedError',
      message: expect.stringMatching(
        /^refused to connect: rebound\.test resolves to ::ffff:0\.0\.0\.0, the unspecified address/,
      ),
    });
    expect(receiver.hits).toEqual([]);
  });

  it('connects to a host name whose lookup answers a loopback address', async () => {
    const receiver = await receiverOn();
    const agent = createGuardedAgent({ connections: 1, lookup: lookupFrom(() => '127.0.0.1') });
    cleanups.push(() => agent.destroy());
    expect(await post(agent, `http://receiver.test:${receiver.port}`)).toMatchObject({ status: 200 });
    expect(receiver.hits).toEqual(['/hook']);
  });
});

describe('the delivery engine checks the address it connects to', () => {
  it('a host name that resolves to a refused address gets one failed attempt, and its answer is never stored', async () => {
    const receiver = await receiverOn();
    const server = await serverWith({ lookup: lookupFrom(() => '0.0.0.0') });
    const { body: webhook } = await server.api(
      'POST',
      '/v1/webhooks',
      webhookInput(`http://metadata-proxy.test:${receiver.port}/latest/meta-data/`),
    );
    expect(webhook.url).toBe(`http://metadata-proxy.test:${receiver.port}/latest/meta-data/`);
    const delivery = await deliverOne(server, webhook.id);
    expect(delivery).toMatchObject({ status: 'failed', attempt_count: 1, next_attempt_at: null });
    expect(nth(delivery.attempts, 0)).toMatchObject({
      status_code: null,
      response_excerpt: null,
      error: expect.stringMatching(
        /^refused to connect: metadata-proxy\.test resolves to 0\.0\.0\.0, the unspecified address, never allowed/,
      ),
    });
    expect(receiver.hits).toEqual([]);
    const log = await server.api('GET', '/v1/deliveries');
    expect(JSON.stringify(log.body)).not.toContain('SECRET-FROM-METADATA');
    // The webhook stays active: the next event is checked again (its DNS may have been fixed).
    expect((await server.api('GET', `/v1/webhooks/${webhook.id}`)).body.status).toBe('active');
  });

  it('a name that re-resolves to a refused address on a new connection is refused (DNS rebinding)', async () => {
    // `connection: close` makes every attempt open a new connection, so each one looks the name up.
    const receiver = await receiverOn('127.0.0.1', { connection: 'close' });
    let answer = '127.0.0.1';
    const server = await serverWith({ lookup: lookupFrom(() => answer) });
    const { body: webhook } = await server.api(
      'POST',
      '/v1/webhooks',
      webhookInput(`http://rebind.test:${receiver.port}/hook`),
    );
    expect(await deliverOne(server, webhook.id)).toMatchObject({ status: 'succeeded' });
    answer = '169.254.169.254';
    const refused = await deliverOne(server, webhook.id);
    expect(refused).toMatchObject({ status: 'failed', attempt_count: 1 });
    expect(nth(refused.attempts, 0).error).toMatch(
      /^refused to connect: rebind\.test resolves to 169\.254\.169\.254, a cloud metadata service address/,
    );
    expect(receiver.hits).toHaveLength(1);
  });

  it('loopback still delivers: localhost, 127.0.0.1 spelled 127.1, and a name resolving to ::1', async () => {
    const receiver = await receiverOn('127.0.0.1');
    const receiver6 = await receiverOn('::1');
    const server = await serverWith({
      lookup: lookupFrom((name) => (name === 'v6.test' ? '::1' : '127.0.0.1')),
    });
    for (const url of [
      `http://localhost:${receiver.port}/hook`,
      `http://127.1:${receiver.port}/hook`,
      `http://v6.test:${receiver6.port}/hook`,
    ]) {
      const { body: webhook } = await server.api('POST', '/v1/webhooks', webhookInput(url));
      expect(await deliverOne(server, webhook.id)).toMatchObject({
        status: 'succeeded',
        attempts: [{ status_code: 200, response_excerpt: 'AccessKeyId=SECRET-FROM-METADATA' }],
      });
    }
    // Each event goes to every webhook made so far: 1 + 2 + 2 to the IPv4 receiver, 1 to the IPv6 one.
    expect(receiver.hits).toHaveLength(5);
    expect(receiver6.hits).toHaveLength(1);
  });
});

describe('allowPrivateNetwork at send time', () => {
  // Tests send nothing past loopback, so the option is shown on the lookup that guards each
  // connection, and refusal (which sends nothing) end to end.
  const resolve = (lookup: LookupFunction, hostname: string) =>
    new Promise<unknown>((done) =>
      lookup(hostname, { all: true }, (error, address) => done(error ?? address)),
    );

  it('the guarded lookup refuses a private address by default and answers it with the option', async () => {
    const toPrivate = lookupFrom(() => '10.20.30.40');
    expect(await resolve(createGuardedLookup(false, toPrivate), 'ci-receiver.test')).toMatchObject({
      name: 'AddressRefusedError',
      rule: 'private',
      message: expect.stringMatching(/a private-network address .*--allow-private-network/),
    });
    expect(await resolve(createGuardedLookup(true, toPrivate), 'ci-receiver.test')).toEqual([
      { address: '10.20.30.40', family: 4 },
    ]);
    // The option never opens what is refused always.
    expect(
      await resolve(
        createGuardedLookup(
          true,
          lookupFrom(() => '169.254.169.254'),
        ),
        'metadata.test',
      ),
    ).toMatchObject({ name: 'AddressRefusedError', rule: 'metadata' });
  });

  it('a name resolving to a private address gets one failed attempt without the option', async () => {
    const server = await serverWith({ lookup: lookupFrom(() => '10.20.30.40') });
    const { body: webhook } = await server.api(
      'POST',
      '/v1/webhooks',
      webhookInput('http://ci-receiver.test:8080/hook'),
    );
    const refused = await deliverOne(server, webhook.id);
    expect(refused).toMatchObject({ status: 'failed', attempt_count: 1 });
    expect(nth(refused.attempts, 0).error).toMatch(/a private-network address .*--allow-private-network/);
  });
});
