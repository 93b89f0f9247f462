import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sign, verify, WebhookVerificationError } from '../src/index.js';
import { nowSeconds, OTHER_SECRET, SECRET, validRequest } from './helpers.js';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as WebhookVerificationError).code;
  }
  throw new Error('expected verify() to throw');
}

describe('verify()', () => {
  it('accepts the public Standard Webhooks test vector at its own time', () => {
    const result = verify({
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      payload: '{"test": 2432232314}',
      headers: {
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'webhook-timestamp': '1614265330',
        'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      },
      now: new Date(1614265330 * 1000),
    });
    expect(result).toEqual({ id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330 });
  });

  it('accepts a signed request and returns its id and timestamp', () => {
    const request = validRequest({ id: 'evt_ok' });
    const result = verify({ secret: SECRET, payload: request.body, headers: request.headers });
    expect(result.id).toBe('evt_ok');
    expect(result.timestamp).toBe(Number(request.headers['webhook-timestamp']));
  });

  it('accepts the body as bytes exactly as received', () => {
    const request = validRequest();
    expect(() =>
      verify({ secret: SECRET, payload: Buffer.from(request.body), headers: request.headers }),
    ).not.toThrow();
  });

  it('reads fetch Headers, Node IncomingHttpHeaders and mixed-case plain objects', () => {
    const request = validRequest();
    const fetchHeaders = new Headers(request.headers);
    const mixedCase = {
      'Webhook-Id': request.headers['webhook-id'],
      'WEBHOOK-TIMESTAMP': request.headers['webhook-timestamp'],
      'Webhook-Signature': request.headers['webhook-signature'],
    };
    const nodeHeaders: IncomingHttpHeaders = {
      ...request.headers,
      'webhook-id': [request.headers['webhook-id']],
    } as never;
    for (const headers of [fetchHeaders, mixedCase, nodeHeaders]) {
      expect(verify({ secret: SECRET, payload: request.body, headers }).id).toBe(request.id);
    }
  });

  it('accepts any of several secrets (rotation)', () => {
    const request = validRequest({ secret: OTHER_SECRET });
    expect(
      verify({ secret: [SECRET, OTHER_SECRET], payload: request.body, headers: request.headers }).id,
    ).toBe(request.id);
  });

  it('accepts a valid signature among several invalid ones', () => {
    const request = validRequest();
    const fake = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
    const headers = {
      ...request.headers,
      'webhook-signature': `${fake} v2,abc ${request.headers['webhook-signature']} ${fake}`,
    };
    expect(verify({ secret: SECRET, payload: request.body, headers }).id).toBe(request.id);
  });

  it('accepts signature entries that Node joined with ", " from repeated headers', () => {
    const request = validRequest();
    const headers = {
      ...request.headers,
      'webhook-signature': `v1,AAAA, ${request.headers['webhook-signature']}`,
    };
    expect(verify({ secret: SECRET, payload: request.body, headers }).id).toBe(request.id);
  });

  it('accepts duplicated signature entries and header arrays whose copies agree', () => {
    const request = validRequest();
    const signature = request.headers['webhook-signature'];
    const headers = {
      ...request.headers,
      'webhook-signature': [signature, signature],
      'webhook-id': [request.id, request.id],
    };
    expect(verify({ secret: SECRET, payload: request.body, headers }).id).toBe(request.id);
  });

  it('rejects a wrong secret with no_matching_signature', () => {
    const request = validRequest();
    expect(
      codeOf(() => verify({ secret: OTHER_SECRET, payload: request.body, headers: request.headers })),
    ).toBe('no_matching_signature');
  });

  it('rejects a body with one byte changed', () => {
    const request = validRequest();
    const changed = `${request.body.slice(0, 10)}${request.body[10] === 'a' ? 'b' : 'a'}${request.body.slice(11)}`;
    expect(codeOf(() => verify({ secret: SECRET, payload: changed, headers: request.headers }))).toBe(
      'no_matching_signature',
    );
  });

  it('rejects a signature made for another id', () => {
    const request = validRequest();
    const headers = { ...request.headers, 'webhook-id': 'evt_another' };
    expect(codeOf(() => verify({ secret: SECRET, payload: request.body, headers }))).toBe(
      'no_matching_signature',
    );
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)(
    'rejects a request without %s',
    (name) => {
      const request = validRequest();
      const headers: Record<string, string> = { ...request.headers };
      delete headers[name];
      expect(codeOf(() => verify({ secret: SECRET, payload: request.body, headers }))).toBe('missing_header');
    },
  );

  it('rejects header arrays whose copies disagree', () => {
    const request = validRequest();
    const headers = { ...request.headers, 'webhook-id': [request.id, 'evt_other'] };
    expect(codeOf(() => verify({ secret: SECRET, payload: request.body, headers }))).toBe('ambiguous_header');
  });

  it('rejects a timestamp 301 s in the past and 301 s in the future, and accepts 300 s', () => {
    const now = nowSeconds();
    const old = validRequest({ timestamp: now - 301 });
    const future = validRequest({ timestamp: now + 301 });
    const edge = validRequest({ timestamp: now - 300 });
    const at = new Date(now * 1000);
    expect(codeOf(() => verify({ secret: SECRET, payload: old.body, headers: old.headers, now: at }))).toBe(
      'timestamp_too_old',
    );
    expect(
      codeOf(() => verify({ secret: SECRET, payload: future.body, headers: future.headers, now: at })),
    ).toBe('timestamp_too_new');
    expect(verify({ secret: SECRET, payload: edge.body, headers: edge.headers, now: at }).id).toBe(edge.id);
  });

  it('honours a custom toleranceSeconds', () => {
    const request = validRequest({ timestamp: nowSeconds() - 30 });
    expect(
      codeOf(() =>
        verify({ secret: SECRET, payload: request.body, headers: request.headers, toleranceSeconds: 10 }),
      ),
    ).toBe('timestamp_too_old');
  });

  it.each(['1674087231abc', '-1674087231', '1674087231.5', '99999999999999999999', ' 1674087231', ''])(
    'rejects the timestamp %j with invalid_timestamp or missing_header',
    (timestamp) => {
      const request = validRequest();
      const headers = { ...request.headers, 'webhook-timestamp': timestamp };
      expect(['invalid_timestamp', 'missing_header']).toContain(
        codeOf(() => verify({ secret: SECRET, payload: request.body, headers })),
      );
    },
  );

  it('rejects a huge but well-formed timestamp as too new', () => {
    const request = validRequest();
    const headers = { ...request.headers, 'webhook-timestamp': '999999999999' };
    expect(codeOf(() => verify({ secret: SECRET, payload: request.body, headers }))).toBe(
      'timestamp_too_new',
    );
  });

  it.each([
    ['only a v2 scheme', 'v2,abcdef', 'no_matching_signature'],
    ['an empty v1 signature', 'v1,', 'malformed_signature'],
    ['a truncated v1 signature', 'v1,g0hM9SsE+OTPJTGt', 'no_matching_signature'],
    ['no comma at all', 'garbage', 'malformed_signature'],
    ['only spaces', '   ', 'malformed_signature'],
  ])('rejects a signature header with %s', (_label, signature, code) => {
    const request = validRequest();
    const headers = { ...request.headers, 'webhook-signature': signature };
    expect(codeOf(() => verify({ secret: SECRET, payload: request.body, headers }))).toBe(code);
  });

  it.each([
    ['empty', ''],
    ['whitespace-padded', ` ${SECRET} `],
    ['bad base64 after whsec_', 'whsec_!!!not-base64!!!'],
    ['a short whsec_ key', 'whsec_c2hvcnQ='],
    ['a short plain secret', 'hunter2'],
  ])('rejects a secret that is %s with invalid_secret and a message saying why', (_label, secret) => {
    const request = validRequest();
    let message = '';
    const code = codeOf(() => {
      try {
        verify({ secret, payload: request.body, headers: request.headers });
      } catch (error) {
        message = (error as Error).message;
        throw error;
      }
    });
    expect(code).toBe('invalid_secret');
    expect(message).toMatch(/^Invalid webhook secret: .+\.$/);
    expect(message).not.toContain(SECRET.slice(6));
  });

  it('verifies bodies with emoji and other multibyte characters byte for byte', () => {
    const body = JSON.stringify({ type: 'message', note: 'héllo 👋🏽 — 日本語' });
    const headers = {
      'webhook-id': 'evt_utf8',
      'webhook-timestamp': String(nowSeconds()),
      'webhook-signature': sign({ secret: SECRET, id: 'evt_utf8', timestamp: nowSeconds(), payload: body }),
    };
    expect(verify({ secret: SECRET, payload: Buffer.from(body, 'utf8'), headers }).id).toBe('evt_utf8');
    expect(verify({ secret: SECRET, payload: body, headers }).id).toBe('evt_utf8');
  });

  it('verifies a 10 MB body', () => {
    const body = JSON.stringify({ padding: 'x'.repeat(10 * 1024 * 1024) });
    const request = validRequest({ body });
    expect(verify({ secret: SECRET, payload: Buffer.from(body), headers: request.headers }).id).toBe(
      request.id,
    );
  });

  it('never puts the secret in an error message', () => {
    expect.assertions(2);
    const request = validRequest();
    try {
      verify({ secret: OTHER_SECRET, payload: request.body, headers: request.headers });
    } catch (error) {
      expect((error as Error).message).not.toContain(OTHER_SECRET);
      expect((error as Error).message).not.toContain(SECRET);
    }
  });
});
