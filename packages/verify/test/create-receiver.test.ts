import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createReceiver, MemoryReplayStore, type ReceivedEvent, type ReceiverOptions } from '../src/index.js';
import { buildEvent, signedRequest } from '../src/testing/index.js';
import { SECRET, validRequest } from './helpers.js';

const post = (
  request: { body: string; headers: Record<string, string> },
  body: unknown = Buffer.from(request.body),
) => ({
  method: 'POST',
  headers: request.headers,
  body,
});

function receiverWithLog(options: Partial<ReceiverOptions> = {}) {
  const seen: ReceivedEvent[] = [];
  const errors: string[] = [];
  const receiver = createReceiver({
    secret: SECRET,
    logger: { error: (line: string) => errors.push(line) },
    ...options,
  }).onAny((event) => {
    seen.push(event);
  });
  return { receiver, seen, errors };
}

describe('createReceiver()', () => {
  it('throws at construction for a weak secret, naming the package', () => {
    expect(() => createReceiver({ secret: 'short' })).toThrow(/@caleida\/verify: Invalid webhook secret/);
    expect(() => createReceiver({ secret: [] })).toThrow(/@caleida\/verify/);
  });

  it.each([
    [{ toleranceSeconds: 0 }, /toleranceSeconds/],
    [{ maxBodyBytes: -1 }, /maxBodyBytes/],
    [{ unknownEvents: 'drop' as never }, /unknownEvents/],
  ])('throws at construction for a bad option %j', (options, message) => {
    expect(() => createReceiver({ secret: SECRET, ...options })).toThrow(message);
  });
});

describe('receiver.handle()', () => {
  it('answers 200 and runs the typed handler, then onAny', async () => {
    const order: string[] = [];
    const receiver = createReceiver({ secret: SECRET })
      .on('message', (event) => {
        order.push(`message:${event.data.role}`);
      })
      .on(['chat', 'insight.summary'], () => {
        order.push('other');
      })
      .onAny((event) => {
        order.push(`any:${event.type}`);
      });
    const request = validRequest();
    const response = await receiver.handle(post(request));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ received: true, id: request.id, type: 'message' });
    expect(order).toEqual([expect.stringMatching(/^message:/), 'any:message']);
  });

  it('reads the body from a Node stream', async () => {
    const { receiver, seen } = receiverWithLog();
    const request = validRequest();
    const response = await receiver.handle(post(request, Readable.from([Buffer.from(request.body)])));
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('answers 200 with duplicate: true for an id already processed, without running handlers again', async () => {
    const { receiver, seen } = receiverWithLog();
    const request = validRequest();
    await receiver.handle(post(request));
    const again = await receiver.handle(post(request));
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ duplicate: true, id: request.id });
    expect(seen).toHaveLength(1);
  });

  it('answers 409 to a copy that arrives while the first is still being processed', async () => {
    let release: () => void = () => {};
    let handlerStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (handlerStarted = resolve));
    const receiver = createReceiver({ secret: SECRET }).on('message', () => {
      handlerStarted();
      return new Promise<void>((resolve) => (release = resolve));
    });
    const request = validRequest();
    const first = receiver.handle(post(request));
    await started;
    const second = await receiver.handle(post(request));
    release();
    expect(second.status).toBe(409);
    expect(JSON.parse(second.body).code).toBe('in_flight');
    expect((await first).status).toBe(200);
  });

  it('answers 500 when a handler throws, reports it to onError, and runs it again on retry', async () => {
    let calls = 0;
    const reported: string[] = [];
    const receiver = createReceiver({ secret: SECRET })
      .on('message', () => {
        calls++;
        if (calls === 1) throw new Error('database down');
      })
      .onError((error) => {
        reported.push(error.message);
      });
    const request = validRequest();
    const failed = await receiver.handle(post(request));
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toMatchObject({ code: 'handler_failed' });
    expect(failed.body).not.toContain('database down');
    expect(reported).toEqual(['database down']);
    expect((await receiver.handle(post(request))).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('runs handlers again for a repeated id when replay protection is off', async () => {
    const { receiver, seen } = receiverWithLog({ replayStore: false });
    const request = validRequest();
    await receiver.handle(post(request));
    await receiver.handle(post(request));
    expect(seen).toHaveLength(2);
  });

  it.each([
    ['GET', { method: 'GET' }, 405, 'method_not_allowed'],
    ['text/plain', { contentType: 'text/plain' }, 415, 'unsupported_media_type'],
    ['a form body', { contentType: 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['latin1 JSON', { contentType: 'application/json; charset=iso-8859-1' }, 415, 'unsupported_media_type'],
    ['no content type', { contentType: null }, 415, 'unsupported_media_type'],
  ])('refuses %s', async (_label, change, status, code) => {
    const { receiver, seen } = receiverWithLog();
    const request = validRequest();
    const headers: Record<string, string> = { ...request.headers };
    if ('contentType' in change) {
      if (change.contentType === null) delete headers['content-type'];
      else headers['content-type'] = change.contentType;
    }
    const response = await receiver.handle({
      method: 'method' in change ? change.method : 'POST',
      headers,
      body: Buffer.from(request.body),
    });
    expect(response.status).toBe(status);
    expect(JSON.parse(response.body).code).toBe(code);
    if (status === 405) expect(response.headers.allow).toBe('POST');
    expect(seen).toHaveLength(0);
  });

  it('accepts application/json with a utf-8 charset', async () => {
    const { receiver } = receiverWithLog();
    const request = validRequest();
    const headers = { ...request.headers, 'content-type': 'application/json; charset=UTF-8' };
    expect((await receiver.handle({ method: 'POST', headers, body: request.body })).status).toBe(200);
  });

  it('refuses a body over maxBodyBytes with 413, from the declared length or while reading', async () => {
    const { receiver, seen } = receiverWithLog({ maxBodyBytes: 1024 });
    const big = validRequest({ body: JSON.stringify({ ...buildEvent('chat'), pad: 'x'.repeat(2000) }) });
    const declared = await receiver.handle({
      method: 'POST',
      headers: { ...big.headers, 'content-length': String(big.body.length) },
      body: Readable.from([big.body]),
    });
    const streamed = await receiver.handle(
      post(big, Readable.from([big.body.slice(0, 1000), big.body.slice(1000)])),
    );
    expect([declared.status, streamed.status]).toEqual([413, 413]);
    expect(JSON.parse(streamed.body).code).toBe('body_too_large');
    expect(seen).toHaveLength(0);
  });

  it('refuses a 10 MB body with the default 1 MiB limit', async () => {
    const { receiver } = receiverWithLog();
    const request = validRequest({ body: JSON.stringify({ pad: 'x'.repeat(10 * 1024 * 1024) }) });
    const response = await receiver.handle(post(request, Readable.from([Buffer.from(request.body)])));
    expect(response.status).toBe(413);
  });

  it('refuses a body already parsed into an object with 500, a fix, and one log line', async () => {
    const { receiver, seen, errors } = receiverWithLog();
    const request = validRequest();
    const first = await receiver.handle({ ...post(request, JSON.parse(request.body)), source: 'express' });
    await receiver.handle({ ...post(request, JSON.parse(request.body)), source: 'express' });
    expect(first.status).toBe(500);
    const body = JSON.parse(first.body);
    expect(body.code).toBe('body_already_parsed');
    expect(body.message).toContain('express.raw(');
    expect(errors).toHaveLength(1);
    expect(seen).toHaveLength(0);
  });

  it('uses the bytes a parser kept (express.raw(), a rawBody field) as the raw body of an ended stream', async () => {
    const { receiver, seen } = receiverWithLog();
    const request = validRequest();
    const ended = Readable.from([]);
    for await (const _ of ended) {
      // drain, as the parser did
    }
    const fromBytes = await receiver.handle({
      ...post(request, ended),
      parsedBody: Buffer.from(request.body),
    });
    const again = validRequest();
    const fromString = await receiver.handle({ ...post(again, ended), parsedBody: again.body });
    expect([fromBytes.status, fromString.status]).toEqual([200, 200]);
    expect(seen.map((event) => event.id)).toEqual([request.id, again.id]);
  });

  it('tells an ended stream that a parser left an object from one that something else consumed', async () => {
    const { receiver } = receiverWithLog();
    const request = validRequest();
    const ended = Readable.from([]);
    for await (const _ of ended) {
      // drain
    }
    const parsed = await receiver.handle({ ...post(request, ended), parsedBody: { a: 1 } });
    const consumed = await receiver.handle(post(request, ended));
    expect(JSON.parse(parsed.body).code).toBe('body_already_parsed');
    expect(JSON.parse(consumed.body).code).toBe('body_already_consumed');
  });

  it.each([
    [
      'a wrong secret',
      () => validRequest({ secret: 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ==' }),
      401,
      'no_matching_signature',
    ],
    [
      'a stale timestamp',
      () => validRequest({ timestamp: Math.floor(Date.now() / 1000) - 301 }),
      401,
      'timestamp_too_old',
    ],
    [
      'invalid JSON with a valid signature',
      () => validRequest({ body: '{"type":"chat",' }),
      400,
      'invalid_json',
    ],
    [
      'a schema-invalid payload with a valid signature',
      () => validRequest({ body: JSON.stringify({ ...buildEvent('message'), data: { role: 'robot' } }) }),
      400,
      'invalid_payload',
    ],
  ])('refuses %s', async (_label, make, status, code) => {
    const { receiver, seen } = receiverWithLog();
    const response = await receiver.handle(post(make()));
    expect(response.status).toBe(status);
    expect(JSON.parse(response.body).code).toBe(code);
    expect(seen).toHaveLength(0);
  });

  it('returns the schema issues with their paths in the error body', async () => {
    const { receiver } = receiverWithLog();
    const request = validRequest({ body: JSON.stringify({ ...buildEvent('insight.sentiment'), data: {} }) });
    const body = JSON.parse((await receiver.handle(post(request))).body);
    expect(body.issues.map((issue: { path: string[] }) => issue.path.join('.'))).toContain('data.score');
  });

  it('acknowledges an unknown event type and hands it to onAny as type "unknown"', async () => {
    const { receiver, seen } = receiverWithLog();
    const request = signedRequest({
      secret: SECRET,
      event: { type: 'insight.emotion', timestamp: new Date().toISOString(), data: {} },
    });
    const response = await receiver.handle(post(request));
    expect(response.status).toBe(200);
    expect(seen[0]).toMatchObject({ type: 'unknown', receivedType: 'insight.emotion', id: request.id });
  });

  it("refuses an unknown event type with 400 when unknownEvents is 'reject'", async () => {
    const { receiver, seen } = receiverWithLog({ unknownEvents: 'reject' });
    const request = signedRequest({
      secret: SECRET,
      event: { type: 'x.y', timestamp: new Date().toISOString(), data: {} },
    });
    const response = await receiver.handle(post(request));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).code).toBe('unknown_event_type');
    expect(seen).toHaveLength(0);
  });
});

describe('receiver.admit()', () => {
  it('marks an id processed only after settle(true); settle(false) lets a retry in', async () => {
    const receiver = createReceiver({ secret: SECRET, replayStore: new MemoryReplayStore() });
    const request = validRequest();
    const first = await receiver.admit(post(request));
    if (!first.accepted) throw new Error('expected the first request to be accepted');
    expect((await receiver.admit(post(request))).accepted).toBe(false);
    await first.settle(false);
    const retry = await receiver.admit(post(request));
    if (!retry.accepted) throw new Error('expected the retry to be accepted');
    await retry.settle(true);
    const duplicate = await receiver.admit(post(request));
    expect(duplicate.accepted === false && duplicate.response.status).toBe(200);
  });
});
