import { createReceiver, type Receiver } from './create-receiver.js';
import type { ReceiverOptions } from './receiver-types.js';

/**
 * A fetch-standard handler (`Request` in, `Response` out) for Hono, Next.js route handlers, Bun,
 * Deno and Cloudflare Workers. Pass a receiver with handlers, or options to make one.
 *
 * @example
 * // Next.js: app/api/caleida/route.ts
 * const receiver = createReceiver({ secret: process.env.CALEIDA_WEBHOOK_SECRET! }).on('chat', saveChat);
 * export const POST = createFetchHandler(receiver);
 */
export function createFetchHandler(
  receiverOrOptions: Receiver | ReceiverOptions,
): (request: Request) => Promise<Response> {
  const receiver = 'handle' in receiverOrOptions ? receiverOrOptions : createReceiver(receiverOrOptions);
  return async function caleidaFetchHandler(request: Request): Promise<Response> {
    const result = await receiver.handle({
      method: request.method,
      headers: request.headers,
      body: request.bodyUsed ? { used: true } : request.body,
      source: 'fetch',
    });
    return new Response(result.body, { status: result.status, headers: result.headers });
  };
}
