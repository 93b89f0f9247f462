import { request as httpRequest } from 'node:http';

/** One HTTP request, byte for byte. */
export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Sends the body in chunks without content-length, so only the bytes read can reveal its size. */
  chunked?: boolean;
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
  { method, path, headers, body, chunked = false }: HttpRequest,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(path, baseUrl),
      { method, headers, agent: false, timeout: 10_000 },
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
