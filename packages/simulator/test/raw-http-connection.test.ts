import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../src/http/delivery-error.js';
import { RawHttpConnection } from '../src/http/raw-http-connection.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

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
});
