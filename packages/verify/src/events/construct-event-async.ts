import type { VerifyOptions } from '../signature/read-signature-headers.js';
import { verifyAsync } from '../signature/verify-async.js';
import type { ReceivedEvent } from './event.js';
import { parseEvent } from './parse-event.js';

/**
 * `constructEvent()` on Web Crypto: verifies with `verifyAsync()`, then parses and validates the
 * body. Resolves to the typed event with its `id`; rejects with `WebhookVerificationError` or
 * `PayloadValidationError`, with the same codes and messages as `constructEvent()`.
 *
 * @example
 * const event = await constructEventAsync({ secret: env.CALEIDA_WEBHOOK_SECRET, payload: await request.text(), headers: request.headers });
 */
export async function constructEventAsync(options: VerifyOptions): Promise<ReceivedEvent> {
  const { id } = await verifyAsync(options);
  const event = parseEvent(options.payload) as ReceivedEvent;
  event.id = id;
  return event;
}
