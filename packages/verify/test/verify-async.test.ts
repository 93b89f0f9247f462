import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../src/encoding/decode-base64.js';
import { encodeBase64 } from '../src/encoding/encode-base64.js';
import { constructEventAsync } from '../src/events/construct-event-async.js';
import { constructEvent, decodeSecret, sign, verify, WebhookVerificationError } from '../src/index.js';
import { decodeSecretKey } from '../src/secret/decode-secret-key.js';
import { importSecretKey } from '../src/signature/compute-signature-web.js';
import { signAsync } from '../src/signature/sign-async.js';
import { timingSafeEqual } from '../src/signature/timing-safe-equal.js';
import { verifyAsync } from '../src/signature/verify-async.js';
import { buildEvent } from '../src/testing/index.js';
import { nowSeconds, OTHER_SECRET, SECRET, validRequest } from './helpers.js';

const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  payload: '{"test": 2432232314}',
  headers: {
    'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'webhook-timestamp': '1614265330',
    'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
  now: new Date(1614265330 * 1000),
};

type Outcome = { value: unknown } | { name: string; code: string; message: string; issues?: unknown };

function outcomeOf(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    return describeError(error);
  }
}

async function asyncOutcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { value: await run() };
  } catch (error) {
    return describeError(error);
  }
}

function describeError(error: unknown): Outcome {
  const { name, code, message, issues } = error as Error & { code: string; issues?: unknown };
  return { name, code, message, ...(issues ? { issues } : {}) };
}

describe('verifyAsync()', () => {
  it('accepts the public Standard Webhooks test vector at its own time', async () => {
    await expect(verifyAsync(VECTOR)).resolves.toEqual({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
    });
  });

  it('rejects the test vector with one byte of the body changed', async () => {
    await expect(verifyAsync({ ...VECTOR, payload: '{"test": 2432232315}' })).rejects.toMatchObject({
      code: 'no_matching_signature',
    });
  });

  it('rejects with a WebhookVerificationError, never throws synchronously', async () => {
    const pending = verifyAsync({ ...VECTOR, headers: {} });
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toBeInstanceOf(WebhookVerificationError);
  });

  it('accepts bytes, strings, fetch Headers and secret rotation like verify()', async () => {
    const request = validRequest({ secret: OTHER_SECRET });
    for (const payload of [request.body, new TextEncoder().encode(request.body)]) {
      for (const headers of [request.headers, new Headers(request.headers)]) {
        const result = await verifyAsync({ secret: [SECRET, OTHER_SECRET], payload, headers });
        expect(result.id).toBe(request.id);
      }
    }
  });

  it('answers every request in the verify() table exactly as verify() does: value, or code and message', async () => {
    const now = nowSeconds();
    const request = validRequest();
    const signature = request.headers['webhook-signature'];
    const headerVariants: Record<string, string | string[]>[] = [
      request.headers,
      { ...request.headers, 'webhook-id': 'evt_other' },
      { ...request.headers, 'webhook-id': [request.id, 'evt_other'] },
      { ...request.headers, 'webhook-signature': [signature, signature] },
      { ...request.headers, 'webhook-signature': `v1,AAAA, ${signature}` },
      {
        ...request.headers,
        'webhook-signature': `v1,${Buffer.alloc(32, 7).toString('base64')} ${signature}`,
      },
      { ...request.headers, 'webhook-signature': signature.replace('v1,', 'v2,') },
      // The same signature in the URL-safe alphabet without padding: Node's decoder reads it.
      {
        ...request.headers,
        'webhook-signature': `v1,${signature.slice(3).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`,
      },
      ...['v1,', 'garbage', '   ', 'v1,g0hM9SsE+OTPJTGt', 'v2,abc'].map((value) => ({
        ...request.headers,
        'webhook-signature': value,
      })),
      ...[
        '1674087231abc',
        '-1674087231',
        '99999999999999999999',
        '',
        String(now - 301),
        String(now + 301),
      ].map((value) => ({ ...request.headers, 'webhook-timestamp': value })),
      ...(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const).map((name) =>
        Object.fromEntries(Object.entries(request.headers).filter(([key]) => key !== name)),
      ),
    ];
    const secrets: (string | string[])[] = [
      SECRET,
      OTHER_SECRET,
      [OTHER_SECRET, SECRET],
      [],
      '',
      ` ${SECRET}`,
      'whsec_!!!not-base64!!!',
      'whsec_c2hvcnQ=',
      'hunter2',
      [SECRET, 'hunter2'],
      ['hunter2', SECRET],
    ];
    const payloads = [request.body, Buffer.from(request.body), `${request.body} `];
    let compared = 0;
    for (const headers of headerVariants) {
      for (const secret of secrets) {
        for (const payload of payloads) {
          const options = { secret, payload, headers, now: new Date(now * 1000) };
          expect(await asyncOutcomeOf(() => verifyAsync(options))).toEqual(outcomeOf(() => verify(options)));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('agrees with verify() on random signature headers and tolerances', async () => {
    const request = validRequest();
    const entry = fc.oneof(
      fc.constant(request.headers['webhook-signature']),
      fc.string({ maxLength: 50 }).map((text) => `v1,${text}`),
      fc
        .uint8Array({ minLength: 30, maxLength: 34 })
        .map((bytes) => `v1,${Buffer.from(bytes).toString('base64')}`),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 4 }).map((entries) => entries.join(' ')),
        fc.integer({ min: -400, max: 400 }),
        fc.integer({ min: 1, max: 600 }),
        async (signature, skew, toleranceSeconds) => {
          const options = {
            secret: SECRET,
            payload: request.body,
            headers: { ...request.headers, 'webhook-signature': signature },
            toleranceSeconds,
            now: new Date((Number(request.headers['webhook-timestamp']) + skew) * 1000),
          };
          expect(await asyncOutcomeOf(() => verifyAsync(options))).toEqual(outcomeOf(() => verify(options)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('verifies a body with emoji and multibyte characters byte for byte, as a string and as bytes', async () => {
    const body = JSON.stringify({ type: 'message', note: 'héllo 👋🏽 — 日本語' });
    const timestamp = nowSeconds();
    const headers = {
      'webhook-id': 'evt_utf8',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign({ secret: SECRET, id: 'evt_utf8', timestamp, payload: body }),
    };
    expect((await verifyAsync({ secret: SECRET, payload: body, headers })).id).toBe('evt_utf8');
    const bytes = new TextEncoder().encode(body);
    expect((await verifyAsync({ secret: SECRET, payload: bytes, headers })).id).toBe('evt_utf8');
  });
});

describe('constructEventAsync()', () => {
  it('resolves to the typed event with its id, like constructEvent()', async () => {
    const request = validRequest({ body: JSON.stringify(buildEvent('insight.sentiment', { seed: 3 })) });
    const options = { secret: SECRET, payload: request.body, headers: request.headers };
    expect(await constructEventAsync(options)).toEqual(constructEvent(options));
  });

  it.each([
    ['invalid JSON', '{"type":"message",'],
    ['a schema-invalid payload', JSON.stringify(buildEvent('insight.sentiment', { data: { score: 7 } }))],
    ['an empty body', ''],
  ])('rejects %s with the same error as constructEvent()', async (_label, body) => {
    const request = validRequest({ body });
    const options = { secret: SECRET, payload: body, headers: request.headers };
    const expected = outcomeOf(() => constructEvent(options));
    expect(expected).toHaveProperty('code');
    expect(await asyncOutcomeOf(() => constructEventAsync(options))).toEqual(expected);
  });

  it('rejects bytes that are not UTF-8 with invalid_utf8, as constructEvent() does', async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0x7d]);
    const timestamp = nowSeconds();
    const headers = {
      'webhook-id': 'evt_bytes',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign({ secret: SECRET, id: 'evt_bytes', timestamp, payload: bytes }),
    };
    await expect(constructEventAsync({ secret: SECRET, payload: bytes, headers })).rejects.toMatchObject({
      code: 'invalid_utf8',
    });
  });
});

describe('signAsync()', () => {
  it('signs the Standard Webhooks test vector', async () => {
    const signature = await signAsync({
      secret: VECTOR.secret,
      id: VECTOR.headers['webhook-id'],
      timestamp: 1614265330,
      payload: VECTOR.payload,
    });
    expect(signature).toBe(VECTOR.headers['webhook-signature']);
  });

  it('gives what sign() gives for any secret, id, time and body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .uint8Array({ minLength: 24, maxLength: 64 })
            .map((key) => `whsec_${Buffer.from(key).toString('base64')}`),
          fc
            .string({ minLength: 24, maxLength: 40 })
            .filter((text) => text.trim() === text && !text.startsWith('whsec_')),
        ),
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 2 ** 32 }),
        fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 })),
        async (secret, id, timestamp, payload) => {
          expect(await signAsync({ secret, id, timestamp, payload })).toBe(
            sign({ secret, id, timestamp, payload }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the Web Crypto building blocks', () => {
  it('decodeBase64() decodes any string exactly as Buffer.from(text, "base64") does', () => {
    const unit = fc.constantFrom(...'ABCab01+/-_= *\n\u00ff\u013d\u0141\u2603'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit, maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })),
        (text) => {
          expect(Buffer.from(decodeBase64(text))).toEqual(Buffer.from(text, 'base64'));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('encodeBase64() encodes as Buffer#toString("base64") does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      }),
    );
  });

  it("decodeSecretKey() gives decodeSecret()'s key, or its error", () => {
    for (const secret of [
      SECRET,
      OTHER_SECRET,
      'a-plain-secret-of-24-chars!',
      'héllo wörld 👋🏽 long enough',
      '',
      ' x',
      'whsec_c2hvcnQ=',
      'whsec_abcde==',
      'hunter2',
    ]) {
      const expected = outcomeOf(() => new Uint8Array(decodeSecret(secret)));
      expect(outcomeOf(() => decodeSecretKey(secret))).toEqual(expected);
    }
  });

  it('importSecretKey() imports each secret once and shares the key', async () => {
    const first = importSecretKey(OTHER_SECRET);
    expect(importSecretKey(OTHER_SECRET)).toBe(first);
    expect(await first).toMatchObject({ type: 'secret', extractable: false, usages: ['sign'] });
  });

  it('timingSafeEqual() compares bytes and lengths', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
  });
});
