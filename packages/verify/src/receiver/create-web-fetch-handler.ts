import type { Receiver } from './create-receiver-with.js';
import { createWebReceiver } from './create-web-receiver.js';
import type { ReceiverOptions } from './receiver-types.js';
import { serveFetch } from './serve-fetch.js';

/**
 * `createFetchHandler()` on Web Crypto: a `Request` in, `Response` out handler for Cloudflare
 * Workers, Vercel Edge, Deno, Bun and Hono, importing no `node:*`. Pass a receiver made with
 * `createReceiver` of `@caleida/verify/web`, or options to make one. Exported as
 * `createFetchHandler` from `@caleida/verify/web`.
 *
 * @example
 * import { createFetchHandler, createReceiver } from '@caleida/verify/web';
 * const receiver = createReceiver({ secret: Deno.env.get('CALEIDA_WEBHOOK_SECRET')! }).on('chat', saveChat);
 * Deno.serve(createFetchHandler(receiver));
 */
export function createWebFetchHandler(
  receiverOrOptions: Receiver | ReceiverOptions,
): (request: Request) => Promise<Response> {
  return serveFetch('handle' in receiverOrOptions ? receiverOrOptions : createWebReceiver(receiverOrOptions));
}
