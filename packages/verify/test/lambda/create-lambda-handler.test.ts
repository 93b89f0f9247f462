import { describe, expect, it } from 'vitest';
import { createLambdaHandler, createReceiver, type ReceivedEvent } from '../../src/index.js';
import { buildEvent, signedRequest } from '../../src/testing/index.js';
import { functionUrlEvent, httpApiEvent, restApiEvent } from './aws-events.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WRONG_SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ==';

const shapes = [
  { name: 'API Gateway REST API (payload 1.0)', toEvent: restApiEvent },
  { name: 'API Gateway HTTP API (payload 2.0)', toEvent: httpApiEvent },
  { name: 'Lambda function URL', toEvent: functionUrlEvent },
];

function handlerWithLog() {
  const seen: ReceivedEvent[] = [];
  const receiver = createReceiver({ secret: SECRET, logger: { error() {} } }).onAny((event) => {
    seen.push(event);
  });
  return { handler: createLambdaHandler(receiver), seen };
}

describe.each(shapes)('createLambdaHandler() with a $name event', ({ toEvent }) => {
  it('accepts a signed event and runs the handlers', async () => {
    const { handler, seen } = handlerWithLog();
    const request = signedRequest({
      secret: SECRET,
      event: buildEvent('message', { data: { content: 'olá ✓' } }),
    });
    const result = await handler(toEvent({ method: 'POST', headers: request.headers, body: request.body }));
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ received: true, id: request.id, type: 'message' }),
      isBase64Encoded: false,
    });
    expect(seen.map((event) => event.type === 'message' && event.data.content)).toEqual(['olá ✓']);
  });

  it('decodes an isBase64Encoded body before verifying the signature', async () => {
    const { handler, seen } = handlerWithLog();
    const request = signedRequest({ secret: SECRET, event: buildEvent('insight.summary') });
    const body = Buffer.from(request.body, 'utf8').toString('base64');
    const result = await handler(
      toEvent({ method: 'POST', headers: request.headers, body, isBase64Encoded: true }),
    );
    expect(result.statusCode).toBe(200);
    expect(seen.map((event) => event.id)).toEqual([request.id]);
  });

  it('answers a forged signature 401 no_matching_signature without running a handler', async () => {
    const { handler, seen } = handlerWithLog();
    const request = signedRequest({ secret: WRONG_SECRET, event: buildEvent('chat') });
    const result = await handler(toEvent({ method: 'POST', headers: request.headers, body: request.body }));
    expect({ statusCode: result.statusCode, code: JSON.parse(result.body).code }).toEqual({
      statusCode: 401,
      code: 'no_matching_signature',
    });
    expect(seen).toEqual([]);
  });

  it('answers a base64 body that was not signed (one byte changed) 401', async () => {
    const { handler } = handlerWithLog();
    const request = signedRequest({ secret: SECRET, event: buildEvent('chat') });
    const bytes = Buffer.from(request.body);
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 0x01;
    const result = await handler(
      toEvent({
        method: 'POST',
        headers: request.headers,
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      }),
    );
    expect(result.statusCode).toBe(401);
  });

  it('answers GET 405 with Allow: POST', async () => {
    const { handler } = handlerWithLog();
    const result = await handler(toEvent({ method: 'GET', headers: {}, body: null }));
    expect({ statusCode: result.statusCode, allow: result.headers.allow }).toEqual({
      statusCode: 405,
      allow: 'POST',
    });
  });

  it('answers a replayed event 200 duplicate without running the handlers again', async () => {
    const { handler, seen } = handlerWithLog();
    const request = signedRequest({ secret: SECRET, event: buildEvent('chat') });
    const event = toEvent({ method: 'POST', headers: request.headers, body: request.body });
    await handler(event);
    const again = await handler(event);
    expect(JSON.parse(again.body)).toEqual({ received: true, id: request.id, duplicate: true });
    expect(seen).toHaveLength(1);
  });
});

describe('createLambdaHandler()', () => {
  it('takes options instead of a receiver', async () => {
    const handler = createLambdaHandler({ secret: SECRET });
    const request = signedRequest({ secret: SECRET, event: buildEvent('chat') });
    const result = await handler(
      httpApiEvent({ method: 'POST', headers: request.headers, body: request.body }),
    );
    expect(result.statusCode).toBe(200);
  });

  it('throws a TypeError naming the supported triggers for an event that is not HTTP (an SQS batch)', async () => {
    const handler = createLambdaHandler({ secret: SECRET });
    const sqs = { Records: [{ messageId: '059f36b4-87a3-44ab-83d2-661975830a7d', body: 'Test message.' }] };
    await expect(handler(sqs as never)).rejects.toThrow(
      /createLambdaHandler\(\) takes API Gateway \(REST or HTTP API\) and function URL events/,
    );
  });

  it('throws at construction for a bad secret', () => {
    expect(() => createLambdaHandler({ secret: 'short' })).toThrow(TypeError);
  });
});
