import type { Readable } from 'node:stream';
import { WebhookRequestError } from '../errors/webhook-request-error.js';
import type { RequestSource } from './receiver-types.js';

const FIXES: Record<RequestSource, string> = {
  express:
    "mount the Caleida middleware before express.json() (or any body parser), or put express.raw({ type: 'application/json', limit: '1mb' }), then keepBodyParserError, in front of it on this route",
  koa: 'mount the Caleida middleware before koa-bodyparser / @koa/bodyparser, or keep the raw body (ctx.request.rawBody) on this route: @koa/bodyparser with onError: keepBodyParserError',
  fastify:
    'let @caleida/fastify-plugin register the webhook route, so its own raw-body parser reads the request',
  fetch: 'pass the original Request to the handler before anything calls request.json() or request.text()',
  node: 'hand the receiver the untouched request stream, or the raw bytes',
};

/**
 * A fetch `Request`'s body when its length is declared: read in one `arrayBuffer()` call, which
 * servers such as @hono/node-server answer straight from the Node stream, instead of through
 * `request.body`, which makes them build a whole web `Request` and stream for each call.
 */
export class WholeFetchBody {
  constructor(readonly request: Pick<Request, 'arrayBuffer'>) {}
}

/**
 * A body whose reading already failed (a parser in front gave up, an adapter's reader hit the limit
 * or the deadline): the receiver answers with `error` once its checks of the headers have passed.
 */
export class FailedBody {
  constructor(readonly error: Error) {}
}

/** Default deadline for reading a whole body: 30 s. */
export const DEFAULT_BODY_READ_TIMEOUT_MS = 30_000;

/**
 * The exact bytes of a body the framework already holds (a string, bytes, or nothing), without a
 * promise; `undefined` when it is still to be read: then `readPendingBody()` reads it. Throws the
 * error to answer.
 */
export function rawBodyAtHand(
  body: unknown,
  parsedBody: unknown,
  limit: number,
  source: RequestSource,
): string | Uint8Array | undefined {
  // A parser that kept the bytes (express.raw(), a rawBody field) left exactly what was signed.
  if (typeof parsedBody === 'string' || parsedBody instanceof Uint8Array)
    return rawBodyAtHand(parsedBody, undefined, limit, source);
  if (typeof body === 'string') {
    if (utf8LongerThan(body, limit)) throw tooLarge(limit);
    return body;
  }
  if (body instanceof Uint8Array) {
    if (body.byteLength > limit) throw tooLarge(limit);
    return body;
  }
  if (body === undefined || body === null) return new Uint8Array(0);
  if (body instanceof FailedBody) throw body.error;
  if (body instanceof WholeFetchBody || isAsyncIterable(body)) return undefined;
  throw alreadyParsed(source);
}

/**
 * The exact bytes of a body `rawBodyAtHand()` found still to be read (it returned `undefined`): a
 * stream, or a fetch body of declared length. Refuses a body over `limit`, one still arriving after
 * `timeoutMs`, and a stream something else already read (its bytes, which were signed, are gone).
 */
export async function readPendingBody(
  body: unknown,
  parsedBody: unknown,
  limit: number,
  source: RequestSource,
  timeoutMs = DEFAULT_BODY_READ_TIMEOUT_MS,
): Promise<string | Uint8Array> {
  if (body instanceof WholeFetchBody) return readWholeFetchBody(body, limit, timeoutMs);
  if ((body as { readableEnded?: boolean }).readableEnded === true) {
    if (parsedBody !== undefined && parsedBody !== null) throw alreadyParsed(source);
    throw new WebhookRequestError(
      'body_already_consumed',
      `The request body was read by something before the Caleida receiver, so the signed bytes are gone: ${FIXES[source]}.`,
    );
  }
  return typeof (body as Partial<Readable>).on === 'function'
    ? readNodeStream(body as Readable, limit, timeoutMs)
    : readStream(body as AsyncIterable<Uint8Array | string>, limit, timeoutMs);
}

function readNodeStream(stream: Readable, limit: number, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    readNodeBody(stream, limit, timeoutMs, (error, bytes) => {
      if (error) reject(error);
      else resolve(bytes as Uint8Array);
    }),
  );
}

/**
 * Reads a Node request stream whole with the receiver's rules (at most `limit` bytes, all of them
 * within `timeoutMs`) and calls `done` once, with the bytes or with the error to answer. Events and a
 * callback rather than a promise or an async iterator: several times cheaper per request, which is
 * what a framework's own body parser costs. Uses no Buffer API (Node's chunks are Uint8Arrays), so
 * the receiver's rules run where Buffer is missing.
 *
 * @example
 * readNodeBody(request, 1024 * 1024, 30_000, (error, bytes) => (error ? fail(error) : verify(bytes)));
 */
export function readNodeBody(
  stream: Readable,
  limit: number,
  timeoutMs: number,
  done: (error: Error | null, bytes?: Uint8Array) => void,
): void {
  const chunks: Uint8Array[] = [];
  let total = 0;
  // The stream is left paused, not drained: the 408 goes out with `connection: close`.
  const deadline = setTimeout(() => {
    cleanup();
    done(readTimeout(timeoutMs, total));
  }, timeoutMs);
  const cleanup = (): void => {
    clearTimeout(deadline);
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('error', onError);
    stream.off('close', onClose);
  };
  const onData = (chunk: Uint8Array | string): void => {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    total += bytes.byteLength;
    if (total > limit) {
      cleanup();
      // Keep the rest flowing to nowhere, so the connection can still carry the 413.
      stream.resume();
      done(tooLarge(limit));
      return;
    }
    chunks.push(bytes);
  };
  const onEnd = (): void => {
    cleanup();
    done(null, chunks.length === 1 ? (chunks[0] as Uint8Array) : joinChunks(chunks, total));
  };
  const onError = (error: Error): void => {
    cleanup();
    done(error);
  };
  const onClose = (): void => {
    cleanup();
    done(new Error('The request was aborted before its body was fully received.'));
  };
  stream.on('data', onData);
  stream.once('end', onEnd);
  stream.once('error', onError);
  stream.once('close', onClose);
}

function readWholeFetchBody(
  { request }: WholeFetchBody,
  limit: number,
  timeoutMs: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    // A body still arriving at the deadline is answered 408 with `connection: close`, which ends the
    // read; its late failure then lands in the handler below, after the promise has settled.
    const deadline = setTimeout(() => reject(readTimeout(timeoutMs)), timeoutMs);
    request.arrayBuffer().then(
      (buffer) => {
        clearTimeout(deadline);
        // The declared length bounds a body on the wire, not one a Request was built with in code.
        if (buffer.byteLength > limit) reject(tooLarge(limit));
        else resolve(new Uint8Array(buffer));
      },
      (error: unknown) => {
        clearTimeout(deadline);
        reject(error);
      },
    );
  });
}

async function readStream(
  stream: AsyncIterable<Uint8Array | string>,
  limit: number,
  timeoutMs: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const iterator = stream[Symbol.asyncIterator]();
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    deadline = setTimeout(() => reject(readTimeout(timeoutMs, total)), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), timedOut]);
      if (next.done) break;
      const bytes = typeof next.value === 'string' ? new TextEncoder().encode(next.value) : next.value;
      total += bytes.byteLength;
      if (total > limit) throw tooLarge(limit);
      chunks.push(bytes);
    }
  } catch (error) {
    // Stop the stream: a body over the limit or past the deadline is not read any further.
    void iterator.return?.()?.catch(() => {});
    throw error;
  } finally {
    clearTimeout(deadline);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : joinChunks(chunks, total);
}

function joinChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/**
 * Whether a string's UTF-8 form is longer than `limit` bytes, without Buffer: a UTF-16 code unit
 * takes 1 to 3 bytes, so only a string whose bounds straddle the limit is encoded.
 */
function utf8LongerThan(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return new TextEncoder().encode(text).byteLength > limit;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array | string> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

function readTimeout(timeoutMs: number, received?: number): WebhookRequestError {
  return new WebhookRequestError(
    'body_read_timeout',
    `The body did not arrive within ${timeoutMs} ms${received === undefined ? '' : ` (${received} bytes received)`}; Caleida sends the whole body at once: check for a slow proxy in between, or raise bodyReadTimeoutMs.`,
  );
}

function tooLarge(limit: number): WebhookRequestError {
  return new WebhookRequestError(
    'body_too_large',
    `The body is larger than ${limit} bytes, the receiver's limit; raise maxBodyBytes if your events are bigger.`,
  );
}

function alreadyParsed(source: RequestSource): WebhookRequestError {
  return new WebhookRequestError(
    'body_already_parsed',
    `The request body was already parsed into an object before the Caleida receiver saw it, so the exact bytes that were signed are gone and the signature cannot be checked: ${FIXES[source]}.`,
  );
}
