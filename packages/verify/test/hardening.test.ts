import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { constructEvent, createFetchHandler, createReceiver, verify, verifyAsync } from '../src/index.js';
import { nowSeconds, SECRET, validRequest } from './helpers.js';

const thirtyDaysAgo = () => validRequest({ timestamp: nowSeconds() - 30 * 24 * 3600 });

describe('timing options are validated, never skipped', () => {
  it.each([
    ['toleranceSeconds: NaN', { toleranceSeconds: Number(undefined) }, /toleranceSeconds .* got NaN/],
    [
      'toleranceSeconds: Infinity',
      { toleranceSeconds: Number.POSITIVE_INFINITY },
      /toleranceSeconds .* got Infinity/,
    ],
    ['toleranceSeconds: 0', { toleranceSeconds: 0 }, /toleranceSeconds/],
    ['toleranceSeconds: -5', { toleranceSeconds: -5 }, /toleranceSeconds/],
    [
      "now: new Date('garbage')",
      { now: new Date('garbage') },
      /now must be a valid Date, got an invalid Date/,
    ],
  ])(
    'verify(), constructEvent() and verifyAsync() throw a TypeError for %s',
    async (_label, bad, message) => {
      const request = thirtyDaysAgo();
      const options = { secret: SECRET, payload: request.body, headers: request.headers, ...bad };
      expect(() => verify(options)).toThrow(TypeError);
      expect(() => verify(options)).toThrow(message);
      expect(() => constructEvent(options)).toThrow(message);
      await expect(verifyAsync(options)).rejects.toThrow(message);
    },
  );

  it('createReceiver() refuses the same values with the same message', () => {
    expect(() => createReceiver({ secret: SECRET, toleranceSeconds: Number.NaN })).toThrow(
      /^@caleida\/verify: toleranceSeconds must be a positive number of seconds, got NaN\.$/,
    );
    expect(() => createReceiver({ secret: SECRET, bodyReadTimeoutMs: Number.NaN })).toThrow(
      /bodyReadTimeoutMs must be a positive number of milliseconds, got NaN/,
    );
  });
});

describe('content-encoding named in any case in Node rawHeaders', () => {
  const receiver = createReceiver({ secret: SECRET, replayStore: false });

  it.each(['content-encoding', 'Content-Encoding', 'CONTENT-ENCODING'])(
    '%s: gzip gets 415 unsupported_content_encoding',
    async (name) => {
      const request = validRequest();
      const response = await receiver.handle({
        method: 'POST',
        headers: { ...request.headers, [name]: 'gzip' },
        rawHeaders: [...Object.entries(request.headers).flat(), name, 'gzip'],
        body: request.body,
      });
      expect({ status: response.status, code: JSON.parse(response.body).code }).toEqual({
        status: 415,
        code: 'unsupported_content_encoding',
      });
    },
  );
});

describe('repeated headers answer 400 ambiguous_header', () => {
  const receiver = createReceiver({ secret: SECRET, replayStore: false });

  it.each(['content-type', 'webhook-id', 'webhook-timestamp'])(
    'a doubled %s seen in Node rawHeaders, even when req.headers shows one value',
    async (name) => {
      const request = validRequest();
      const rawHeaders = Object.entries(request.headers).flat();
      rawHeaders.push(name.toUpperCase(), (request.headers as Record<string, string>)[name] as string);
      const response = await receiver.handle({
        method: 'POST',
        headers: request.headers,
        rawHeaders,
        body: request.body,
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({
        code: 'ambiguous_header',
        message: expect.stringContaining(`The ${name} header was sent more than once`),
      });
    },
  );

  it.each(['content-type', 'webhook-id', 'webhook-timestamp'])(
    'a doubled %s joined with ", " in fetch Headers',
    async (name) => {
      const request = validRequest();
      const headers = new Headers(request.headers);
      headers.append(name, (request.headers as Record<string, string>)[name] as string);
      const response = await createFetchHandler(receiver)(
        new Request('http://127.0.0.1/', { method: 'POST', headers, body: request.body }),
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'ambiguous_header' });
    },
  );

  it('accepts a repeated webhook-signature: each copy is a list, any match is enough', async () => {
    const request = validRequest();
    const rawHeaders = Object.entries(request.headers).flat();
    rawHeaders.push('webhook-signature', 'v1,AAAA');
    const response = await receiver.handle({
      method: 'POST',
      headers: {
        ...request.headers,
        'webhook-signature': `${request.headers['webhook-signature']}, v1,AAAA`,
      },
      rawHeaders,
      body: request.body,
    });
    expect(response.status).toBe(200);
  });
});

describe('a Content-Encoding other than identity answers 415', () => {
  const receiver = createReceiver({ secret: SECRET, replayStore: false });

  it.each(['gzip', 'deflate', 'br', 'gzip, identity'])('content-encoding: %s', async (encoding) => {
    const request = validRequest();
    const response = await receiver.handle({
      method: 'POST',
      headers: { ...request.headers, 'content-encoding': encoding },
      body: request.body,
    });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body)).toMatchObject({
      code: 'unsupported_content_encoding',
      message: expect.stringMatching(/never compresses.*Send the body uncompressed/),
    });
  });

  it('accepts content-encoding: identity', async () => {
    const request = validRequest();
    const headers = { ...request.headers, 'content-encoding': 'identity' };
    expect((await receiver.handle({ method: 'POST', headers, body: request.body })).status).toBe(200);
  });
});

describe('a body that does not arrive within bodyReadTimeoutMs answers 408 and closes the connection', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('a Node request stream trickled one byte at a time', async () => {
    const receiver = createReceiver({ secret: SECRET, bodyReadTimeoutMs: 300 });
    server = createServer(async (req, res) => {
      const answer = await receiver.handle({ method: 'POST', headers: req.headers, body: req });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const request = validRequest();
    const socket = connect(port, '127.0.0.1');
    const head = Object.entries({ ...request.headers, 'content-length': String(request.body.length) })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST / HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}\r\n`);
    let sent = 0;
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write(request.body.charAt(sent++));
    }, 50);
    const started = Date.now();
    const received = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    clearInterval(trickle);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(received).toMatch(/connection: close/i);
    expect(received).toMatch(/"code":"body_read_timeout".*did not arrive within 300 ms/);
  });

  it('a fetch Request whose body stream stalls', async () => {
    const request = validRequest();
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(request.body.slice(0, 10)));
      },
    });
    const handler = createFetchHandler({ secret: SECRET, bodyReadTimeoutMs: 200 });
    const response = await handler(
      new Request('http://127.0.0.1/', {
        method: 'POST',
        headers: request.headers,
        body: stalled,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(408);
    expect(await response.json()).toMatchObject({ code: 'body_read_timeout' });
  });
});
