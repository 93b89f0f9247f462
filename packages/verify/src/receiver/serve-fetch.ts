import { readReceiverHeaders } from '../headers/read-receiver-headers.js';
import type { Receiver } from './create-receiver-with.js';
import { WholeFetchBody } from './read-raw-body.js';

/** Turns a receiver into a fetch-standard handler: `Request` in, `Response` out. */
export function serveFetch(receiver: Receiver): (request: Request) => Promise<Response> {
  return async function caleidaFetchHandler(request: Request): Promise<Response> {
    const headers = readReceiverHeaders(request.headers);
    const result = await receiver.handle({
      method: request.method,
      headers,
      body: request.bodyUsed
        ? { used: true }
        : headers['content-length'] !== undefined
          ? new WholeFetchBody(request)
          : request.body,
      source: 'fetch',
    });
    return new Response(result.body, { status: result.status, headers: result.headers });
  };
}
