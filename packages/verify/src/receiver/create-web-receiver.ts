import { verifyAsync } from '../signature/verify-async.js';
import { createReceiverWith, type Receiver } from './create-receiver-with.js';
import type { ReceiverOptions } from './receiver-types.js';

/**
 * `createReceiver()` on Web Crypto, for runtimes with only Web APIs (Cloudflare Workers, Vercel
 * Edge, Deno Deploy): the same rules, options, codes and answers, with signatures checked by
 * `verifyAsync()`. Exported as `createReceiver` from `@caleida/verify/web`.
 *
 * @example
 * import { createReceiver } from '@caleida/verify/web';
 * const receiver = createReceiver({ secret: env.CALEIDA_WEBHOOK_SECRET }).on('chat', saveChat);
 */
export function createWebReceiver(options: ReceiverOptions): Receiver {
  return createReceiverWith(verifyAsync, options);
}
