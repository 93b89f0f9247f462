import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRawBody } from '../src/receiver/read-raw-body.js';

const read = (body: unknown, limit: number) => readRawBody(body, undefined, limit, 'node', 1_000);

describe('readRawBody()', () => {
  it.each([
    ['ASCII at the limit', 'a'.repeat(12), 12, 'kept'],
    ['ASCII one byte over', 'a'.repeat(13), 12, 'refused'],
    ['3-byte characters at the limit (4 characters, 12 bytes)', '€'.repeat(4), 12, 'kept'],
    ['3-byte characters one over (5 characters, 15 bytes)', '€'.repeat(5), 12, 'refused'],
    ['a 4-byte character counted as 4 bytes, not 2 code units', `${'a'.repeat(9)}😀`, 12, 'refused'],
    ['mixed, exactly at the limit', `ab€😀a${'a'.repeat(2)}`, 12, 'kept'],
  ])('measures a string body in UTF-8 bytes: %s', async (_, body, limit, outcome) => {
    const reading = read(body, limit);
    if (outcome === 'kept') await expect(reading).resolves.toBe(body);
    else await expect(reading).rejects.toMatchObject({ code: 'body_too_large' });
  });

  it('joins a Node stream of several chunks, strings included, into the exact bytes', async () => {
    const stream = Readable.from([Buffer.from('{"a":'), '"€"', new Uint8Array([0x7d])], {
      objectMode: false,
    });
    const bytes = await read(stream, 100);
    expect(new TextDecoder().decode(bytes as Uint8Array)).toBe('{"a":"€"}');
  });
});

describe('the body_already_parsed fix names the documented parser setup', () => {
  it.each([
    ['express', /express\.raw\(\{ type: 'application\/json', limit: '1mb' \}\), then keepBodyParserError/],
    ['koa', /@koa\/bodyparser with onError: keepBodyParserError/],
  ] as const)('%s: the one whose limit and failures match the bare middleware', async (source, fix) => {
    const reading = readRawBody({ type: 'message' }, { type: 'message' }, 1024, source);
    await expect(reading).rejects.toMatchObject({
      code: 'body_already_parsed',
      message: expect.stringMatching(fix),
    });
  });
});
