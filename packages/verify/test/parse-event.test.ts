import { describe, expect, expectTypeOf, it } from 'vitest';
import { constructEvent, EVENT_TYPES, PayloadValidationError, parseEvent } from '../src/index.js';
import { buildEvent } from '../src/testing/index.js';
import { SECRET, validRequest } from './helpers.js';

function errorOf(run: () => unknown): PayloadValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadValidationError);
    return error as PayloadValidationError;
  }
  throw new Error('expected parseEvent() to throw');
}

describe('parseEvent()', () => {
  it.each(EVENT_TYPES)('parses a valid %s event', (type) => {
    const event = buildEvent(type, { seed: 3 });
    expect(parseEvent(JSON.stringify(event))).toEqual(event);
  });

  it('narrows data by type', () => {
    const event = parseEvent(JSON.stringify(buildEvent('insight.sentiment')));
    if (event.type === 'insight.sentiment') {
      expectTypeOf(event.data.score).toEqualTypeOf<number>();
      expectTypeOf(event.data.sentiment).toEqualTypeOf<'positive' | 'neutral' | 'negative' | 'mixed'>();
      expect(event.data.score).toBeGreaterThanOrEqual(-1);
    } else {
      throw new Error(`expected insight.sentiment, got ${event.type}`);
    }
  });

  it('returns an unknown event type as UnknownEvent instead of failing', () => {
    const body = JSON.stringify({
      type: 'insight.emotion',
      timestamp: '2026-01-01T00:00:00Z',
      data: { joy: 1 },
    });
    expect(parseEvent(body)).toEqual({
      type: 'unknown',
      receivedType: 'insight.emotion',
      timestamp: '2026-01-01T00:00:00Z',
      data: { joy: 1 },
    });
  });

  it('ignores fields it does not know', () => {
    const event = buildEvent('chat');
    const body = JSON.stringify({ ...event, extra: true, data: { ...event.data, priority: 'high' } });
    expect(parseEvent(body)).toEqual(event);
  });

  it('reports each schema problem with its path', () => {
    const event = buildEvent('insight.sentiment');
    const body = JSON.stringify({ ...event, data: { ...event.data, score: 3, sentiment: 'ecstatic' } });
    const error = errorOf(() => parseEvent(body));
    expect(error.code).toBe('invalid_payload');
    expect(error.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'data.score',
      'data.sentiment',
    ]);
    expect(error.message).toContain('data.score');
  });

  it.each([
    ['an empty body', '', 'empty_body'],
    ['invalid JSON', '{"type":', 'invalid_json'],
    ['a JSON array', '[1,2]', 'invalid_payload'],
    ['a JSON string', '"chat"', 'invalid_payload'],
    ['null', 'null', 'invalid_payload'],
    ['an envelope without type', '{"timestamp":"2026-01-01T00:00:00Z","data":{}}', 'invalid_payload'],
    ['a bad timestamp', '{"type":"x.y","timestamp":"yesterday","data":{}}', 'invalid_payload'],
  ])('rejects %s', (_label, body, code) => {
    expect(errorOf(() => parseEvent(body)).code).toBe(code);
  });

  it('rejects bytes that are not valid UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"type":"chat","x":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    expect(errorOf(() => parseEvent(bytes)).code).toBe('invalid_utf8');
  });

  it('parses multibyte content from bytes', () => {
    const event = buildEvent('message', { data: { content: 'Obrigada! 🙏 日本語もOK' } });
    const parsed = parseEvent(Buffer.from(JSON.stringify(event)));
    expect(parsed.type === 'message' && parsed.data.content).toBe('Obrigada! 🙏 日本語もOK');
  });
});

describe('constructEvent()', () => {
  it('verifies, parses and adds the webhook-id as event.id', () => {
    const request = validRequest({ id: 'evt_construct' });
    const event = constructEvent({ secret: SECRET, payload: request.body, headers: request.headers });
    expect(event.id).toBe('evt_construct');
    expect(event.type).toBe('message');
  });

  it('refuses before parsing when the signature is wrong', () => {
    const request = validRequest({ body: '{not json' });
    expect(() =>
      constructEvent({ secret: SECRET.replace('M', 'N'), payload: request.body, headers: request.headers }),
    ).toThrow(expect.objectContaining({ code: 'no_matching_signature' }));
  });

  it('throws PayloadValidationError for a verified body that is not JSON', () => {
    const request = validRequest({ body: '{not json' });
    expect(() => constructEvent({ secret: SECRET, payload: request.body, headers: request.headers })).toThrow(
      PayloadValidationError,
    );
  });
});
