import net from 'node:net';
import { DeliveryError, toDeliveryError } from './delivery-error.js';

/** The part of an answer `load` needs. */
export interface RawAnswer {
  status: number;
  latencyMs: number;
}

interface Pending {
  resolve(answer: RawAnswer): void;
  reject(error: Error): void;
  started: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

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
  #buffer: Buffer = Buffer.alloc(0);
  readonly #prefix: string;

  constructor(
    readonly url: URL,
    readonly timeoutMs: number,
  ) {
    this.#prefix = `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: keep-alive\r\n`;
  }

  /** Sends a POST with these header lines (each ending in CRLF) and body; resolves with the status. */
  send(headerLines: string, body: Buffer): Promise<RawAnswer> {
    const socket = this.#socket ?? this.#connect();
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject, started: performance.now() };
      // Head and body copied into one buffer and one write: a corked pair of writes goes through
      // writev, which cost load more per request than copying a body of a few KiB.
      const head = `${this.#prefix}${headerLines}content-length: ${body.length}\r\n\r\n`;
      const packet = Buffer.allocUnsafe(head.length + body.length);
      packet.write(head, 0, 'latin1');
      body.copy(packet, head.length);
      socket.write(packet);
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #connect(): net.Socket {
    const socket = net.connect({
      host: this.url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(this.url.port) || 80,
    });
    socket.setNoDelay(true);
    // Events of a socket already replaced (closed by the server between requests) are ignored.
    const fail = (error: Error) => {
      if (this.#socket === socket) this.#fail(error);
    };
    socket.setTimeout(this.timeoutMs, () => {
      if (this.#pending)
        fail(
          new DeliveryError(
            'timeout',
            `${this.url.origin} did not answer within ${this.timeoutMs} ms (--timeout).`,
          ),
        );
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.#socket !== socket) return;
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    socket.on('error', (error) => fail(toDeliveryError(error, this.url)));
    socket.on('close', () =>
      fail(
        new DeliveryError('connection_reset', `${this.url.origin} closed the connection without answering.`),
      ),
    );
    this.#buffer = Buffer.alloc(0);
    this.#socket = socket;
    return socket;
  }

  #fail(error: Error): void {
    const pending = this.#pending;
    this.#pending = undefined;
    this.close();
    pending?.reject(error);
  }

  /** Completes the pending request once its whole answer is buffered. */
  #parse(): void {
    const pending = this.#pending;
    if (!pending) return;
    const buffer = this.#buffer;
    const headEnd = buffer.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = buffer.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    const bodyStart = headEnd + 4;
    let end: number;
    const length = /\r\ncontent-length:\s*(\d+)/.exec(lower);
    if (status === 204 || status === 304 || (status >= 100 && status < 200)) end = bodyStart;
    else if (length) end = bodyStart + Number(length[1]);
    else if (/\r\ntransfer-encoding:[^\r]*chunked/.test(lower)) end = chunkedEnd(buffer, bodyStart);
    else {
      // No framing: the body runs to the end of the connection.
      this.#socket?.once('end', () => this.#complete(pending, status, buffer.length, true));
      return;
    }
    if (end < 0 || buffer.length < end) return;
    this.#complete(pending, status, end, /\r\nconnection:\s*close/.test(lower));
  }

  #complete(pending: Pending, status: number, end: number, closing: boolean): void {
    this.#pending = undefined;
    this.#buffer = this.#buffer.subarray(end);
    if (closing) this.close();
    pending.resolve({ status, latencyMs: performance.now() - pending.started });
  }
}

/** Where a chunked body ends, or -1 while incomplete. */
function chunkedEnd(buffer: Buffer, start: number): number {
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, at);
    if (lineEnd < 0) return -1;
    const size = Number.parseInt(buffer.toString('latin1', at, lineEnd), 16);
    if (Number.isNaN(size)) return -1;
    if (size === 0) {
      // The last chunk, then optional trailers, then an empty line.
      const trailerEnd = buffer.indexOf(HEAD_END, lineEnd);
      return trailerEnd < 0 ? -1 : trailerEnd + 4;
    }
    at = lineEnd + 2 + size + 2;
    if (at > buffer.length) return -1;
  }
}
