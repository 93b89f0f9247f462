import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { createReceiver, type ReceivedEvent } from '@caleida/verify';
import { buildEvent, signedRequest } from '@caleida/verify/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { caleidaWebhook } from '../src/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const signed = () => signedRequest({ secret: SECRET, event: buildEvent('message') });
const apps: FastifyInstance[] = [];

function newApp(): FastifyInstance {
  const app = Fastify();
  apps.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('caleidaWebhook plugin options', () => {
  it.each([
    [
      { url: '/hook', secret: 'short', handler: () => {} },
      /^@caleida\/fastify-plugin: Invalid webhook secret/,
    ],
    [{ url: '/hook', secret: SECRET, handler: () => {}, maxBodyBytes: 1.5 }, /fastify-plugin: maxBodyBytes/],
    [{ url: 'hook', secret: SECRET, handler: () => {} }, /`url` must be the webhook route's path/],
    [{ url: '/hook', secret: SECRET }, /pass `handler`/],
    [{ url: '/hook', receiver: {} }, /`receiver` must come from createReceiver\(\)/],
  ])('registration fails for %j', async (options, message) => {
    const app = newApp();
    app.register(caleidaWebhook, options as never);
    await expect(app.ready()).rejects.toThrow(message);
  });
});

describe('caleidaWebhook plugin', () => {
  it('attach: puts the typed event on request.webhook and runs the handler', async () => {
    const app = newApp();
    await app.register(caleidaWebhook, {
      url: '/hook',
      secret: SECRET,
      async handler(request, reply) {
        expectTypeOf(request.webhook).toEqualTypeOf<ReceivedEvent>();
        if (request.webhook.type !== 'message') return reply.code(400).send();
        expectTypeOf(request.webhook.data.chat_id).toBeString();
        return reply.code(202).send({ chatId: request.webhook.data.chat_id });
      },
    });
    const { body, headers } = signed();
    const response = await app.inject({ method: 'POST', url: '/hook', headers, payload: body });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ chatId: JSON.parse(body).data.chat_id });
  });

  it('attach: a handler that is not async answers through reply, at once, later, or by returning a value', async () => {
    const app = newApp();
    const answers = ['now', 'later', 'returned'];
    let call = 0;
    await app.register(caleidaWebhook, {
      url: '/hook',
      secret: SECRET,
      handler(request, reply) {
        const how = answers[call++];
        if (how === 'now') {
          reply.code(201).send({ how, id: request.webhook.id });
        } else if (how === 'later') {
          setImmediate(() => reply.code(202).send({ how, id: request.webhook.id }));
        } else {
          return { how, id: request.webhook.id };
        }
      },
    });
    for (const [how, status] of [
      ['now', 201],
      ['later', 202],
      ['returned', 200],
    ] as const) {
      const { body, headers } = signed();
      const response = await app.inject({ method: 'POST', url: '/hook', headers, payload: body });
      expect({ status: response.statusCode, body: response.json() }).toEqual({
        status,
        body: { how, id: headers['webhook-id'] },
      });
    }
  });

  it('leaves Fastify JSON parsing to every other route of the app', async () => {
    const app = newApp();
    app.post('/api/notes', async (request) => ({ got: request.body }));
    await app.register(caleidaWebhook, { url: '/hook', receiver: createReceiver({ secret: SECRET }) });
    const response = await app.inject({ method: 'POST', url: '/api/notes', payload: { text: 'hi' } });
    expect(response.json()).toEqual({ got: { text: 'hi' } });
    const text = await app.inject({
      method: 'POST',
      url: '/api/notes',
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expect(text.statusCode).toBe(200);
  });

  it('gives the webhook route the receiver’s own 415 and 400, not Fastify’s', async () => {
    const app = newApp();
    await app.register(caleidaWebhook, { url: '/hook', receiver: createReceiver({ secret: SECRET }) });
    const form = await app.inject({
      method: 'POST',
      url: '/hook',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1',
    });
    expect({ status: form.statusCode, code: form.json().code }).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    });
    const broken = signedRequest({ secret: SECRET, event: '{"type":' });
    const invalid = await app.inject({
      method: 'POST',
      url: '/hook',
      headers: broken.headers,
      payload: broken.body,
    });
    expect({ status: invalid.statusCode, code: invalid.json().code }).toEqual({
      status: 400,
      code: 'invalid_json',
    });
  });

  it('attach: an id counts as processed only after a 2xx answer; a thrown error releases it', async () => {
    let runs = 0;
    const app = newApp();
    await app.register(caleidaWebhook, {
      url: '/hook',
      secret: SECRET,
      async handler(_request, reply) {
        runs++;
        if (runs === 1) throw new Error('database down');
        return reply.code(204).send();
      },
    });
    const { body, headers } = signed();
    const send = () => app.inject({ method: 'POST', url: '/hook', headers, payload: body });
    expect((await send()).statusCode).toBe(500);
    expect((await send()).statusCode).toBe(204);
    const duplicate = await send();
    expect({ status: duplicate.statusCode, duplicate: duplicate.json().duplicate }).toEqual({
      status: 200,
      duplicate: true,
    });
    expect(runs).toBe(2);
  });

  it('attach: a connection closed before the answer finished releases the id', async () => {
    let runs = 0;
    const app = newApp();
    await app.register(caleidaWebhook, {
      url: '/hook',
      secret: SECRET,
      async handler(request, reply) {
        runs++;
        if (runs === 1) {
          request.raw.socket.destroy();
          return reply.hijack();
        }
        return reply.code(204).send();
      },
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { body, headers } = signed();
    const post = () => fetch(`${address}/hook`, { method: 'POST', headers, body });
    await expect(post()).rejects.toThrow();
    expect((await post()).status).toBe(204);
    expect(runs).toBe(2);
  });

  it.each(['PROPFIND', 'SEARCH', 'TRACE', 'MKCOL'])(
    'answers %s with 405 method_not_allowed and Allow: POST, like every other method',
    async (method) => {
      const app = newApp();
      await app.register(caleidaWebhook, { url: '/hook', receiver: createReceiver({ secret: SECRET }) });
      const response = await app.inject({ method: method as 'GET', url: '/hook' });
      expect({
        status: response.statusCode,
        allow: response.headers.allow,
        code: response.json().code,
      }).toEqual({
        status: 405,
        allow: 'POST',
        code: 'method_not_allowed',
      });
    },
  );

  describe('reading the body', () => {
    /** Sends a request head and the first `sent` bytes of its body over a raw socket, then waits. */
    async function sendPartly(
      address: string,
      headers: Record<string, string>,
      body: string,
      sent: number,
    ): Promise<{ reply: Promise<string>; socket: Socket }> {
      const { port } = new URL(address);
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      const head = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)) })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(`POST /hook HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}\r\n${body.slice(0, sent)}`);
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      const reply = new Promise<string>((resolve) => {
        socket.on('data', () => {
          if (/\r\n\r\n[\s\S]*\}$/.test(text)) resolve(text);
        });
        socket.on('close', () => resolve(text));
      });
      return { reply, socket };
    }

    it('answers a request Caleida would never send (not JSON) with 415 at once, without waiting for its body', async () => {
      const app = newApp();
      await app.register(caleidaWebhook, {
        url: '/hook',
        secret: SECRET,
        bodyReadTimeoutMs: 20_000,
        handler: () => ({ received: true }),
      });
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const { body, headers } = signed();
      const { reply, socket } = await sendPartly(
        address,
        { ...headers, 'content-type': 'text/plain' },
        body,
        10,
      );
      // The rest of the body never comes: only an answer that does not wait for it arrives.
      expect(await reply).toMatch(/^HTTP\/1\.1 415 [\s\S]*"unsupported_media_type"/);
      socket.destroy();
    });

    it('runs no handler for a body cut off half way, and keeps answering the next requests', async () => {
      let runs = 0;
      const app = newApp();
      await app.register(caleidaWebhook, {
        url: '/hook',
        secret: SECRET,
        handler: () => {
          runs++;
          return { received: true };
        },
      });
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const { body, headers } = signed();
      const { socket } = await sendPartly(address, headers, body, 100);
      socket.destroy();
      await once(socket, 'close');
      const next = signed();
      const response = await fetch(`${address}/hook`, {
        method: 'POST',
        headers: next.headers,
        body: next.body,
      });
      expect(response.status).toBe(200);
      expect(runs).toBe(1);
    });

    it('reads a body sent in many small chunks into the exact signed bytes', async () => {
      const app = newApp();
      await app.register(caleidaWebhook, {
        url: '/hook',
        secret: SECRET,
        handler: (request) => ({ id: request.webhook.id }),
      });
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const event = buildEvent('message');
      const { body, headers } = signedRequest({
        secret: SECRET,
        event: { ...event, data: { ...event.data, content: 'é€😀'.repeat(2000) } },
      });
      const { reply, socket } = await sendPartly(address, headers, body, 0);
      const bytes = Buffer.from(body);
      for (let offset = 0; offset < bytes.length; offset += 1000)
        socket.write(bytes.subarray(offset, offset + 1000));
      expect(await reply).toMatch(new RegExp(`^HTTP/1\\.1 200 [\\s\\S]*"${headers['webhook-id']}"`));
      socket.destroy();
    });
  });

  it('registers several webhook routes in one app, each with its own secret', async () => {
    const other = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ==';
    const app = newApp();
    await app.register(caleidaWebhook, { url: '/a', receiver: createReceiver({ secret: SECRET }) });
    await app.register(caleidaWebhook, { url: '/b', receiver: createReceiver({ secret: other }) });
    const { body, headers } = signed();
    expect((await app.inject({ method: 'POST', url: '/a', headers, payload: body })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/b', headers, payload: body })).statusCode).toBe(401);
  });

  it('decorates request.webhook with null on the app’s other routes', async () => {
    const app = newApp();
    app.get('/other', async (request) => ({ webhook: request.webhook }));
    await app.register(caleidaWebhook, { url: '/hook', receiver: createReceiver({ secret: SECRET }) });
    expect((await app.inject({ method: 'GET', url: '/other' })).json()).toEqual({ webhook: null });
  });
});
