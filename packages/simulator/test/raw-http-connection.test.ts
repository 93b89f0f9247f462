import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../src/http/delivery-error.js';
import { RawHttpConnection } from '../src/http/raw-http-connection.js';
import { readResponseHead } from '../src/http/read-response-head.js';

let server: http.Server | undefined;
let rawServer: net.Server | undefined;
const rawSockets = new Set<net.Socket>();
afterEach(async () => {
  const httpServer = server;
  const tcpServer = rawServer;
  server = undefined;
  rawServer = undefined;
  httpServer?.closeAllConnections();
  for (const socket of rawSockets) socket.destroy();
  rawSockets.clear();
  if (httpServer) await new Promise((resolve) => httpServer.close(resolve));
  if (tcpServer) await new Promise((resolve) => tcpServer.close(resolve));
});

/** A TCP server that answers each request (once its head has arrived) with `answer`. */
async function serveRaw(answer: (socket: net.Socket) => void): Promise<URL> {
  rawServer = net.createServer((socket) => {
    rawSockets.add(socket);
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) {
        received = '';
        answer(socket);
      }
    });
  });
  await new Promise<void>((resolve) => rawServer?.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(rawServer.address() as AddressInfo).port}/hook`);
}

/** Writes `parts` one per turn of the event loop, so that they arrive in separate reads. */
function writeInTurns(socket: net.Socket, parts: string[], then?: () => void): void {
  const [first, ...rest] = parts;
  if (first === undefined) {
    then?.();
    return;
  }
  socket.write(first);
  setImmediate(() => writeInTurns(socket, rest, then));
}

async function serve(handler: http.RequestListener): Promise<URL> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`);
}

describe('RawHttpConnection.send()', () => {
  it('posts the header lines and exact body, and reads content-length, chunked and 204 answers in turn', async () => {
    const seen: { url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    let count = 0;
    const url = await serve((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ ...(request.url ? { url: request.url } : {}), headers: request.headers, body });
        count++;
        if (count === 1) response.writeHead(201, { 'content-length': '2' }).end('ok');
        else if (count === 2) {
          response.writeHead(202);
          response.write('part one, ');
          response.end('part two');
        } else response.writeHead(204).end();
      });
    });
    const connection = new RawHttpConnection(url, 5_000);
    const statuses = [];
    for (const text of ['{"a":1}', '{"b":"ü"}', '{}']) {
      statuses.push(
        (await connection.send('content-type: application/json\r\nx-run: 7\r\n', Buffer.from(text))).status,
      );
    }
    connection.close();
    expect(statuses).toEqual([201, 202, 204]);
    expect(seen.map(({ body }) => body)).toEqual(['{"a":1}', '{"b":"ü"}', '{}']);
    expect(seen[0]).toMatchObject({
      url: '/hook?x=1',
      headers: { 'content-type': 'application/json', 'x-run': '7' },
    });
    // One keep-alive connection carried all three.
    expect(new Set(seen.map(({ headers }) => headers.connection))).toEqual(new Set(['keep-alive']));
  });

  it('reconnects after the server answers with connection: close', async () => {
    const url = await serve((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { connection: 'close', 'content-length': '0' }).end());
    });
    const connection = new RawHttpConnection(url, 5_000);
    expect((await connection.send('', Buffer.from('{}'))).status).toBe(200);
    expect((await connection.send('', Buffer.from('{}'))).status).toBe(200);
    connection.close();
  });

  it('rejects with DeliveryError when the server closes without answering', async () => {
    const url = await serve((request) => request.socket.destroy());
    const connection = new RawHttpConnection(url, 5_000);
    await expect(connection.send('', Buffer.from('{}'))).rejects.toBeInstanceOf(DeliveryError);
    connection.close();
  });

  it('reads an answer that arrives a few bytes at a time, with header names in any case', async () => {
    const answer = 'HTTP/1.1 201 Created\r\nCONTENT-Length: 11\r\nConnection: Keep-Alive\r\n\r\nhello world';
    const url = await serveRaw((socket) => writeInTurns(socket, answer.match(/[\s\S]{1,7}/g) ?? []));
    const connection = new RawHttpConnection(url, 5_000);
    expect((await connection.send('', Buffer.from('{}'))).status).toBe(201);
    expect((await connection.send('', Buffer.from('{}'))).status).toBe(201);
    connection.close();
  });

  it('reads a chunked answer with upper-case sizes and chunk extensions, over several reads', async () => {
    const answer = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1A;name=x\r\n${'z'.repeat(26)}\r\n0\r\n\r\n`;
    const url = await serveRaw((socket) => writeInTurns(socket, answer.match(/[\s\S]{1,5}/g) ?? []));
    const connection = new RawHttpConnection(url, 5_000);
    expect((await connection.send('', Buffer.from('{}'))).status).toBe(200);
    expect((await connection.send('', Buffer.from('{}'))).status).toBe(200);
    connection.close();
  });

  it('reads an answer without content-length or chunks to the end of the connection', async () => {
    const url = await serveRaw((socket) =>
      writeInTurns(socket, ['HTTP/1.1 200 OK\r\n\r\n', 'not a status line', ' and more'], () => socket.end()),
    );
    const connection = new RawHttpConnection(url, 5_000);
    expect((await connection.send('', Buffer.from('{}'))).status).toBe(200);
    connection.close();
  });

  it('rejects with DeliveryError invalid_response when the answer is not HTTP', async () => {
    const url = await serveRaw((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    const connection = new RawHttpConnection(url, 5_000);
    const error = await connection.send('', Buffer.from('{}')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      code: 'invalid_response',
      message: `${url.origin} answered with something that is not an HTTP/1.1 response.`,
    });
    connection.close();
  });

  it('rejects with DeliveryError timeout when no answer comes within timeoutMs', async () => {
    const url = await serveRaw(() => {});
    const connection = new RawHttpConnection(url, 200);
    const started = performance.now();
    await expect(connection.send('', Buffer.from('{}'))).rejects.toMatchObject({
      code: 'timeout',
      message: `${url.origin} did not answer within 200 ms (--timeout).`,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(199);
    expect(performance.now() - started).toBeLessThan(2_000);
    connection.close();
  });
});

describe('readResponseHead()', () => {
  const head = (text: string) => readResponseHead(Buffer.from(text, 'latin1'));

  it('reads the status and where the body starts and ends', () => {
    expect(head('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok')).toEqual({
      status: 200,
      bodyStart: 38,
      contentLength: 2,
      chunked: false,
      close: false,
    });
    expect(
      head('HTTP/1.0 503 Busy\r\nConnection: close\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n'),
    ).toMatchObject({
      status: 503,
      contentLength: -1,
      chunked: true,
      close: true,
    });
  });

  it('is undefined while the head is incomplete, and null for what is not an HTTP/1.x answer', () => {
    expect(head('HTTP/1.1 20')).toBeUndefined();
    expect(head('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n')).toBeUndefined();
    expect(head('HTTP/2 200\r\n\r\n')).toBeNull();
    expect(head('HTTP/1.1 2x0 OK\r\n\r\n')).toBeNull();
    expect(head('HTTP/1.1 200 OK\r\ncontent-length: 2 3\r\n\r\n')).toBeNull();
  });
});
