import { type VerifyOptions, verify } from '../signature/verify.js';
import type { ReceivedEvent } from './event.js';
import { parseEvent } from './parse-event.js';

/**
 * Verifies a request and parses its body in one synchronous call, like Stripe's helper. Returns the
 * typed event with its `id` (the `webhook-id`). Throws `WebhookVerificationError` or
 * `PayloadValidationError`.
 *
 * @example
 * const event = constructEvent({ secret, payload: req.body, headers: req.headers });
 * if (event.type === 'message') console.log(event.data.content);
 */
export function constructEvent(options: VerifyOptions): ReceivedEvent {
  const { id } = verify(options);
  const event = parseEvent(options.payload) as ReceivedEvent;
  event.id = id;
  return event;
}
