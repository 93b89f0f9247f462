import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FailedBody, rawBodyAtHand, readNodeBody, readPendingBody } from '../src/receiver/read-raw-body.js';
import type { RequestSource } from '../src/receiver/receiver-types.js';

/** A body read as the receiver reads it: at hand when the framework holds it, else from its stream. */
async function readRawBody(body: unknown, parsedBody: unknown, limit: number, source: RequestSource) {
  return (
    rawBodyAtHand(body, parsedBody, limit, source) ??
    (await readPendingBody(body, parsedBody, limit, source, 1_000))
  );
}
const read = (body: unknown, limit: number) => readRawBody(body, undefined, limit, 'node');

describe('rawBodyAtHand() and readPendingBody()', () => {
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

describe('readNodeBody()', () => {
  /** Reads `stream` and resolves with what the one callback got, failing on a second call. */
  function readOnce(stream: Readable, limit: number, timeoutMs = 1_000) {
    return new Promise<{ error: Error | null; bytes?: Uint8Array }>((resolve, reject) => {
      let calls = 0;
      readNodeBody(stream, limit, timeoutMs, (error, bytes) => {
        if (++calls > 1) reject(new Error('called back twice'));
        resolve({ error, bytes });
        // A late second call would land here, after the test has already looked.
        setTimeout(() => (calls > 1 ? reject(new Error('called back twice')) : undefined), 20);
      });
    });
  }

  it('calls back once with the exact bytes of several chunks', async () => {
    const { error, bytes } = await readOnce(Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]), 100);
    expect(error).toBeNull();
    expect(new TextDecoder().decode(bytes)).toBe('{"a":1}');
  });

  it('refuses a stream over the limit with body_too_large, and drains the rest', async () => {
    const stream = new Readable({ read() {} });
    const reading = readOnce(stream, 4);
    stream.push(Buffer.from('12345'));
    expect((await reading).error).toMatchObject({ code: 'body_too_large' });
    expect(stream.isPaused()).toBe(false);
  });

  it('gives up on a stream still arriving at the deadline with body_read_timeout', async () => {
    const stream = new Readable({ read() {} });
    stream.push(Buffer.from('{"a"'));
    const { error } = await readOnce(stream, 100, 50);
    expect(error).toMatchObject({ code: 'body_read_timeout', message: /within 50 ms \(4 bytes received\)/ });
  });

  it('reports a stream closed before its end as aborted', async () => {
    const stream = new Readable({ read() {} });
    const reading = readOnce(stream, 100);
    stream.push(Buffer.from('{"a"'));
    stream.destroy();
    expect((await reading).error?.message).toMatch(/aborted before its body was fully received/);
  });
});

describe('FailedBody', () => {
  it('makes reading the body fail with the reading error it holds', async () => {
    const failure = new Error('cut off');
    await expect(read(new FailedBody(failure), 100)).rejects.toBe(failure);
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
