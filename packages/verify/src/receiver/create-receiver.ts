import { verify } from '../signature/verify.js';
import { createReceiverWith, type Receiver } from './create-receiver-with.js';
import type { ReceiverOptions } from './receiver-types.js';

export {
  createReceiverWith,
  DEFAULT_MAX_BODY_BYTES,
  type Receiver,
  type VerifySignature,
} from './create-receiver-with.js';

/**
 * Creates a receiver. Options are checked here, so a bad secret fails at start-up, not at the first
 * request. Signatures are checked with node:crypto (`verify()`); `createReceiver` of
 * `@caleida/verify/web` is the same receiver on Web Crypto.
 *
 * @param options.secret one secret, or several while rotating
 * @param options.toleranceSeconds timestamp window, default 300
 * @param options.maxBodyBytes body limit, default 1 MiB
 * @param options.bodyReadTimeoutMs deadline for reading a body, default 30 s (then 408)
 * @param options.replayStore where processed ids are kept, default in-memory; `false` to turn off
 * @param options.replayRetentionSeconds how long a processed id is remembered, default 3 days
 * @param options.replayLeaseSeconds how long a claim holds while handlers run, default 60
 * @param options.replayStoreTimeoutMs deadline of one replay store call, default 2,000
 * @param options.onReplayStoreError `'fail-closed'` (default: 503 while the store fails) or `'fail-open'`
 * @param options.unknownEvents `'acknowledge'` (default) or `'reject'`
 * @example
 * const receiver = createReceiver({ secret: process.env.CALEIDA_WEBHOOK_SECRET! })
 *   .on('message', (event) => console.log(event.data.content))
 *   .on(['insight.summary', 'insight.sentiment'], (event) => save(event));
 * const response = await receiver.handle({ method: 'POST', headers, body: rawBytes });
 */
export function createReceiver(options: ReceiverOptions): Receiver {
  return createReceiverWith(verify, options);
}
