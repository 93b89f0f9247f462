import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/** One HTTP request, byte for byte. */
export interface HttpRequest {
  method: string;
  path: string;
  /** An array sends the header once per value, as a proxy that adds a copy would. */
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Sends the body in chunks without content-length, so only the bytes read can reveal its size. */
  chunked?: boolean;
  /** Aborting it closes the connection, as a sender that gives up does. */
  signal?: AbortSignal;
}

/** What came back: the status, the headers and the body parsed as JSON when it is JSON. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown>;
  text: string;
}

/**
 * Sends a request with node:http rather than supertest: the body goes out exactly as given (no
 * serialisation), a body can be streamed without content-length, and no connection is kept alive
 * past the test.
 */
export function send(
  baseUrl: string,
  { method, path, headers, body, chunked = false, signal }: HttpRequest,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(path, baseUrl),
      { method, headers, agent: false, timeout: 10_000, ...(signal ? { signal } : {}) },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          if (String(incoming.headers['content-type']).includes('json')) json = JSON.parse(text);
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, json, text });
        });
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // A server may answer 413 and close before reading a large body; that answer is what counts.
      reject(error);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${path} timed out`)));
    if (body === undefined) {
      outgoing.end();
    } else if (chunked) {
      const bytes = Buffer.from(body);
      for (let offset = 0; offset < bytes.length; offset += 4096)
        outgoing.write(bytes.subarray(offset, offset + 4096));
      outgoing.end();
    } else {
      if (!('content-length' in headers)) outgoing.setHeader('content-length', Buffer.byteLength(body));
      outgoing.end(body);
    }
  });
}

/**
 * Sends the headers of `request` at once, then its body one byte every `intervalMs` over a raw
 * socket, as a slow client (or a slowloris attack) does, until the server answers and closes;
 * resolves with the answer and how long it took.
 */
export function sendTrickled(
  baseUrl: string,
  { method, path, headers, body = '' }: HttpRequest,
  intervalMs: number,
): Promise<HttpResponse & { elapsedMs: number }> {
  const { hostname, port } = new URL(baseUrl);
  const bytes = Buffer.from(body);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const lines = [
      `${method} ${path} HTTP/1.1`,
      `host: ${hostname}:${port}`,
      'connection: close',
      `content-length: ${bytes.length}`,
    ];
    for (const [name, value] of Object.entries(headers)) {
      for (const each of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${each}`);
    }
    let sent = 0;
    let answered = false;
    const received: Buffer[] = [];
    const timer = setInterval(() => {
      if (!answered && sent < bytes.length && socket.writable) socket.write(bytes.subarray(sent, ++sent));
    }, intervalMs);
    const giveUp = setTimeout(
      () => socket.destroy(new Error(`${method} ${path}: no answer to a trickled body`)),
      15_000,
    );
    const done = () => {
      clearInterval(timer);
      clearTimeout(giveUp);
    };
    socket.once('connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      answered = true;
      received.push(chunk);
    });
    socket.once('close', () => {
      done();
      const text = Buffer.concat(received).toString('utf8');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd === -1) {
        reject(new Error(`${method} ${path}: the connection closed without an answer`));
        return;
      }
      const head = text.slice(0, headEnd).split('\r\n');
      const responseHeaders: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':');
        responseHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let rest = text.slice(headEnd + 4);
      if (responseHeaders['transfer-encoding'] === 'chunked') rest = dechunk(rest);
      resolve({
        status: Number(head[0]?.split(' ')[1]),
        headers: responseHeaders,
        json: String(responseHeaders['content-type']).includes('json') ? JSON.parse(rest) : {},
        text: rest,
        elapsedMs: Date.now() - started,
      });
    });
    socket.once('error', (error) => {
      done();
      reject(error);
    });
  });
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}
