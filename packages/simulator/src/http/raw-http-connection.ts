import net from 'node:net';
import { DeliveryError, toDeliveryError } from './delivery-error.js';
import { type ResponseHead, readResponseHead } from './read-response-head.js';

/** The part of an answer `load` needs. */
export interface RawAnswer {
  status: number;
  latencyMs: number;
}

/**
 * Called once per request: with an error when there was no HTTP answer, else with the status and
 * the milliseconds from writing the request to reading the whole answer.
 */
export type AnswerCallback = (error: DeliveryError | undefined, status: number, latencyMs: number) => void;

interface Pending {
  onAnswer: AnswerCallback;
  started: number;
}

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
// Every connection reads into this one buffer and consumes what it read before returning, so no
// read allocates (Node's 'data' events allocate a buffer per read).
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * One keep-alive HTTP/1.1 connection to an http: URL, one request at a time, writing each request
 * in a single write and reading only the status and the body's framing. `load` uses it because
 * Node's http client spends more per request than the signing itself, which keeps a load run far
 * below what autocannon reaches against the same receiver (see bench/simulator.bench.ts).
 *
 * @example
 * const connection = new RawHttpConnection(new URL('http://127.0.0.1:3000/webhooks'), 10_000);
 * const { status } = await connection.send('content-type: application/json\r\n', body);
 * connection.close();
 */
export class RawHttpConnection {
  #socket: net.Socket | undefined;
  #pending: Pending | undefined;
  /** Bytes of an answer that came in more than one read. */
  #partial: Buffer = EMPTY;
  /** True once an answer without framing is being read to the end of the connection. */
  #readingToEnd = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #prefix: string;

  constructor(
    readonly url: URL,
    readonly timeoutMs: number,
  ) {
    this.#prefix = `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: keep-alive\r\n`;
  }

  /** Sends a POST with these header lines (each ending in CRLF) and body; resolves with the status. */
  send(headerLines: string, body: Buffer): Promise<RawAnswer> {
    return new Promise((resolve, reject) =>
      this.request(headerLines, body, (error, status, latencyMs) =>
        error ? reject(error) : resolve({ status, latencyMs }),
      ),
    );
  }

  /**
   * `send()` with a callback, which spares `load` a promise per request. `onAnswer` is always called
   * later, never before this returns. One request at a time: call again only after `onAnswer`.
   */
  request(headerLines: string, body: Buffer, onAnswer: AnswerCallback): void {
    const socket = this.#socket ?? this.#connect();
    this.#pending = { onAnswer, started: performance.now() };
    // Head and body copied into one buffer and one write: a corked pair of writes goes through
    // writev, which cost load more per request than copying a body of a few KiB.
    const head = `${this.#prefix}${headerLines}content-length: ${body.length}\r\n\r\n`;
    const packet = Buffer.allocUnsafe(head.length + body.length);
    packet.write(head, 0, 'latin1');
    body.copy(packet, head.length);
    socket.write(packet);
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
    this.#partial = EMPTY;
    this.#readingToEnd = false;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #connect(): net.Socket {
    const socket = net.connect({
      host: this.url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(this.url.port) || 80,
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (length) => {
          if (this.#socket === socket) this.#read(readBuffer.subarray(0, length));
          return true;
        },
      },
    });
    // Events of a socket already replaced (closed by the server between requests) are ignored.
    const fail = (error: DeliveryError) => {
      if (this.#socket === socket) this.#fail(error);
    };
    socket.on('error', (error) => fail(toDeliveryError(error, this.url)));
    socket.on('close', () =>
      fail(
        new DeliveryError('connection_reset', `${this.url.origin} closed the connection without answering.`),
      ),
    );
    // One timer per connection that looks at the request in flight, rather than a socket timeout,
    // which Node re-arms on every read and write.
    this.#timer = setInterval(
      () => {
        const pending = this.#pending;
        if (pending && performance.now() - pending.started >= this.timeoutMs) {
          fail(
            new DeliveryError(
              'timeout',
              `${this.url.origin} did not answer within ${this.timeoutMs} ms (--timeout).`,
            ),
          );
        }
      },
      Math.min(Math.max(this.timeoutMs / 20, 5), 500),
    ).unref();
    this.#partial = EMPTY;
    this.#readingToEnd = false;
    this.#socket = socket;
    return socket;
  }

  #fail(error: DeliveryError): void {
    const pending = this.#pending;
    this.#pending = undefined;
    this.close();
    pending?.onAnswer(error, 0, 0);
  }

  /** Completes the pending request once its whole answer has been read. */
  #read(chunk: Buffer): void {
    if (!this.#pending || this.#readingToEnd) return;
    // `chunk` lies in the shared read buffer: whatever must outlive this call is copied out.
    const bytes = this.#partial.length === 0 ? chunk : Buffer.concat([this.#partial, chunk]);
    const head = readResponseHead(bytes);
    if (head === null) {
      this.#fail(
        new DeliveryError(
          'invalid_response',
          `${this.url.origin} answered with something that is not an HTTP/1.1 response.`,
        ),
      );
      return;
    }
    const end = head === undefined ? -1 : bodyEnd(bytes, head);
    if (head === undefined || end === -1) {
      this.#partial = bytes === chunk ? Buffer.from(chunk) : bytes;
      return;
    }
    this.#partial = EMPTY;
    if (end === -2) {
      // No framing: the body runs to the end of the connection.
      const pending = this.#pending;
      this.#readingToEnd = true;
      this.#socket?.once('end', () => this.#complete(pending, head.status, true));
      return;
    }
    this.#complete(this.#pending, head.status, head.close);
  }

  #complete(pending: Pending, status: number, closing: boolean): void {
    if (this.#pending !== pending) return;
    this.#pending = undefined;
    if (closing) this.close();
    pending.onAnswer(undefined, status, performance.now() - pending.started);
  }
}

/** Where the body ends: -1 while incomplete, -2 when it runs to the end of the connection. */
function bodyEnd(bytes: Buffer, { status, bodyStart, contentLength, chunked }: ResponseHead): number {
  let end: number;
  if (status === 204 || status === 304 || status < 200) end = bodyStart;
  else if (chunked) end = chunkedEnd(bytes, bodyStart);
  else if (contentLength >= 0) end = bodyStart + contentLength;
  else return -2;
  return end < 0 || bytes.length < end ? -1 : end;
}

/** Where a chunked body ends, or -1 while incomplete. */
function chunkedEnd(buffer: Buffer, start: number): number {
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, at);
    if (lineEnd < 0) return -1;
    const size = readHex(buffer, at, lineEnd);
    if (size < 0) return -1;
    if (size === 0) {
      // The last chunk, then optional trailers, then an empty line.
      const trailerEnd = buffer.indexOf(HEAD_END, lineEnd);
      return trailerEnd < 0 ? -1 : trailerEnd + 4;
    }
    at = lineEnd + 2 + size + 2;
    if (at > buffer.length) return -1;
  }
}

/** The chunk size at the start of a chunk line (hex digits, then maybe `;extensions`), or -1. */
function readHex(buffer: Buffer, start: number, end: number): number {
  let value = 0;
  let at = start;
  for (; at < end && at - start < 12; at++) {
    const byte = buffer[at] as number;
    const digit =
      byte >= 48 && byte <= 57
        ? byte - 48
        : (byte | 0x20) >= 97 && (byte | 0x20) <= 102
          ? (byte | 0x20) - 87
          : -1;
    if (digit < 0) break;
    value = value * 16 + digit;
  }
  return at === start ? -1 : value;
}
