import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sign, verifyAsync } from '../src/index.js';
import { encodeSignedContent, releaseSignedContent } from '../src/signature/signed-content.js';
import { SECRET } from './helpers.js';

const utf8 = new TextEncoder();
const NOW = 1_750_000_000;

describe('encodeSignedContent()', () => {
  it('writes exactly the UTF-8 of {id}.{timestamp}.{payload}, from a string or from bytes, at any size', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '\ud800', '\udc00', '"'), maxLength: 200 }),
        fc.integer({ min: 0, max: 9_999_999_999 }),
        (id, payload, timestamp) => {
          const expected = utf8.encode(`${id}.${timestamp}.${payload}`);
          const fromString = encodeSignedContent(id, timestamp, payload);
          expect(fromString).toEqual(expected);
          releaseSignedContent(fromString);
          const fromBytes = encodeSignedContent(id, timestamp, utf8.encode(payload));
          expect(fromBytes).toEqual(expected);
          releaseSignedContent(fromBytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves nothing of a longer earlier content in a reused buffer', () => {
    const long = encodeSignedContent('msg_1', NOW, 'x'.repeat(5_000));
    releaseSignedContent(long);
    const short = encodeSignedContent('msg_2', NOW, '{}');
    expect(new TextDecoder().decode(short)).toBe(`msg_2.${NOW}.{}`);
    releaseSignedContent(short);
  });

  it('never hands out a buffer that is still in use, and reuses it once released', () => {
    const first = encodeSignedContent('msg_1', NOW, 'first');
    const second = encodeSignedContent('msg_2', NOW, 'second');
    expect(second.buffer).not.toBe(first.buffer);
    expect(new TextDecoder().decode(first)).toBe(`msg_1.${NOW}.first`);
    releaseSignedContent(first);
    releaseSignedContent(second);
    const third = encodeSignedContent('msg_3', NOW, 'third');
    expect([first.buffer, second.buffer]).toContain(third.buffer);
    releaseSignedContent(third);
  });

  it('encodes contents beyond the pooled size into a buffer of their own', () => {
    const payload = 'é'.repeat(200_000);
    const content = encodeSignedContent('msg_big', NOW, payload);
    expect(Buffer.from(content).equals(utf8.encode(`msg_big.${NOW}.${payload}`))).toBe(true);
    expect(content.buffer.byteLength).toBe(content.byteLength);
  });
});

describe('verifyAsync() with many requests in flight', () => {
  it('checks each request against its own body, whether genuine or forged', async () => {
    const requests = Array.from({ length: 64 }, (_, index) => {
      const id = `msg_${index}`;
      const payload = JSON.stringify({ index, text: 'y'.repeat(index * 300) });
      const signature = sign({ secret: SECRET, id, timestamp: NOW, payload });
      const forged = index % 3 === 0;
      return { id, payload: forged ? payload.replace('"index"', '"INDEX"') : payload, signature, forged };
    });
    const outcomes = await Promise.all(
      requests.map(({ id, payload, signature }, index) =>
        verifyAsync({
          secret: SECRET,
          payload: index % 2 === 0 ? payload : utf8.encode(payload),
          headers: { 'webhook-id': id, 'webhook-timestamp': String(NOW), 'webhook-signature': signature },
          now: new Date(NOW * 1000),
        }).then(
          () => 'accepted',
          (error: { code: string }) => error.code,
        ),
      ),
    );
    expect(outcomes).toEqual(requests.map(({ forged }) => (forged ? 'no_matching_signature' : 'accepted')));
  });
});
