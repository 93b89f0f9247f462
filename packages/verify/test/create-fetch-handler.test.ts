import { describe, expect, it } from 'vitest';
import { createFetchHandler, createReceiver } from '../src/index.js';
import { SECRET, validRequest } from './helpers.js';

const url = 'http://127.0.0.1/webhooks/caleida';

describe('createFetchHandler()', () => {
  it('answers a real Request with a Response, running the receiver handlers', async () => {
    const seen: string[] = [];
    const handler = createFetchHandler(
      createReceiver({ secret: SECRET }).on('message', (event) => void seen.push(event.id)),
    );
    const request = validRequest();
    const response = await handler(
      new Request(url, { method: 'POST', headers: request.headers, body: request.body }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ received: true, id: request.id });
    expect(seen).toEqual([request.id]);
  });

  it('reads each header of the Request once', async () => {
    const handler = createFetchHandler({ secret: SECRET });
    const request = validRequest();
    const bytes = new TextEncoder().encode(request.body);
    const headers = new Headers({ ...request.headers, 'content-length': String(bytes.byteLength) });
    const reads = new Map<string, number>();
    for (const method of ['get', 'has'] as const) {
      const original = headers[method].bind(headers);
      headers[method] = ((name: string) => {
        reads.set(name, (reads.get(name) ?? 0) + 1);
        return original(name);
      }) as never;
    }
    // Headers.get validates the name on every call, and on @hono/node-server searches the raw list.
    const response = await handler({
      method: 'POST',
      headers,
      bodyUsed: false,
      body: null,
      arrayBuffer: () => Promise.resolve(bytes.buffer),
    } as unknown as Request);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(reads)).toMatchObject({ 'webhook-id': 1, 'webhook-signature': 1 });
    expect([...reads.values()].filter((count) => count > 1)).toEqual([]);
  });

  it('builds its own receiver from options', async () => {
    const handler = createFetchHandler({ secret: SECRET });
    const request = validRequest();
    const response = await handler(
      new Request(url, { method: 'POST', headers: request.headers, body: request.body }),
    );
    expect(response.status).toBe(200);
  });

  it('answers 401 for a wrong signature and 405 for GET', async () => {
    const handler = createFetchHandler({ secret: SECRET });
    const request = validRequest();
    const tampered = await handler(
      new Request(url, {
        method: 'POST',
        headers: request.headers,
        body: request.body.replace('message', 'massage'),
      }),
    );
    const get = await handler(new Request(url, { method: 'GET', headers: request.headers }));
    expect(tampered.status).toBe(401);
    expect((await tampered.json()).code).toBe('no_matching_signature');
    expect(get.status).toBe(405);
  });

  it('refuses a Request whose body was already read, with the fix', async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: { error: () => {} } });
    const request = validRequest();
    const fetchRequest = new Request(url, { method: 'POST', headers: request.headers, body: request.body });
    await fetchRequest.json();
    const response = await handler(fetchRequest);
    expect(response.status).toBe(500);
    expect((await response.json()).message).toContain('request.json()');
  });

  it('reads a body of declared length with one arrayBuffer() call, never through request.body', async () => {
    // Servers such as @hono/node-server build a whole web Request on the first read of `body`.
    const handler = createFetchHandler({ secret: SECRET });
    const request = validRequest();
    const real = new Request(url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      body: request.body,
    });
    const read: string[] = [];
    const watched = new Proxy(real, {
      get(target, key) {
        if (key === 'body' || key === 'arrayBuffer') read.push(key);
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const response = await handler(watched);
    expect(response.status).toBe(200);
    expect(read).toEqual(['arrayBuffer']);
  });

  it('answers 413 to a Request whose body is longer than its content-length and the limit', async () => {
    const handler = createFetchHandler({ secret: SECRET, maxBodyBytes: 1000, logger: { error: () => {} } });
    const request = validRequest({ body: JSON.stringify({ type: 'message', pad: 'x'.repeat(2000) }) });
    const response = await handler(
      new Request(url, {
        method: 'POST',
        headers: { ...request.headers, 'content-length': '10' },
        body: request.body,
      }),
    );
    expect(response.status).toBe(413);
    expect((await response.json()).code).toBe('body_too_large');
  });

  it('answers 408 when a body of declared length is still arriving at bodyReadTimeoutMs', async () => {
    const handler = createFetchHandler({
      secret: SECRET,
      bodyReadTimeoutMs: 100,
      logger: { error: () => {} },
    });
    const request = validRequest();
    const neverEnds = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(request.body.slice(0, 10)));
      },
    });
    const response = await handler(
      new Request(url, {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(request.body.length) },
        body: neverEnds,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(408);
    expect(response.headers.get('connection')).toBe('close');
    expect((await response.json()).message).toMatch(/within 100 ms.*bodyReadTimeoutMs/);
  });
});
