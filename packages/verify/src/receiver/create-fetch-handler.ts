import { createReceiver, type Receiver } from './create-receiver.js';
import type { ReceiverOptions } from './receiver-types.js';
import { serveFetch } from './serve-fetch.js';

/**
 * A fetch-standard handler (`Request` in, `Response` out) for Hono, Next.js route handlers, Bun
 * and Deno, on node:crypto (Cloudflare Workers and other Web-only runtimes: `createFetchHandler` of
 * `@caleida/verify/web`). Pass a receiver with handlers, or options to make one.
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
  return serveFetch(receiver);
}
