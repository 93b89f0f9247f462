import { describe, expect, it } from 'vitest';
import { sign, signHeaders, verify } from '../src/index.js';
import { OTHER_SECRET, SECRET } from './helpers.js';

const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('sign()', () => {
  it('produces the public Standard Webhooks test vector', () => {
    expect(sign(vector)).toBe(vector.signature);
  });

  it('accepts a Date and bytes as well as seconds and a string', () => {
    const fromDate = sign({ ...vector, timestamp: new Date(vector.timestamp * 1000 + 999) });
    const fromBytes = sign({ ...vector, payload: new TextEncoder().encode(vector.payload) });
    expect(fromDate).toBe(vector.signature);
    expect(fromBytes).toBe(vector.signature);
  });

  it('signs with the UTF-8 bytes of a plain (non-whsec_) secret', () => {
    const plain = 'a-plain-secret-of-at-least-24-chars';
    expect(sign({ ...vector, secret: plain })).not.toBe(vector.signature);
    expect(sign({ ...vector, secret: plain })).toBe(sign({ ...vector, secret: plain }));
  });

  it('throws invalid_secret for a short secret', () => {
    expect(() => sign({ ...vector, secret: 'short' })).toThrow(
      expect.objectContaining({ code: 'invalid_secret' }),
    );
  });
});

describe('signHeaders()', () => {
  it('returns the three headers, with a timestamp of now by default', () => {
    const headers = signHeaders({ secret: SECRET, id: 'evt_1', payload: '{}' });
    expect(headers['webhook-id']).toBe('evt_1');
    expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('signs with every secret of a list, space-separated, each verifiable on its own', () => {
    const headers = signHeaders({ secret: [SECRET, OTHER_SECRET], id: 'evt_2', payload: '{}' });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify({ secret: OTHER_SECRET, payload: '{}', headers }).id).toBe('evt_2');
    expect(verify({ secret: SECRET, payload: '{}', headers }).id).toBe('evt_2');
  });
});
