import { generateEventId } from '../secret/generate-event-id.js';
import { signHeaders, type WebhookHeaders } from '../signature/sign-headers.js';

/** Options of `signedRequest()`. */
export interface SignedRequestOptions {
  /** The webhook secret (or several, signing with each). */
  secret: string | readonly string[];
  /** The event to send: an object (serialised with `JSON.stringify`) or the exact body text. */
  event: object | string;
  /** The `webhook-id`. Default: a new one. */
  id?: string;
  /** The attempt's time. Default: now. */
  timestamp?: number | Date;
}

/** A correctly signed request, ready to send: the body and every header Caleida sends. */
export interface SignedRequest {
  id: string;
  body: string;
  headers: WebhookHeaders & { 'content-type': 'application/json' };
}

/**
 * Turns an event into a request signed exactly as Caleida signs, for your own tests.
 *
 * @example
 * const { body, headers } = signedRequest({ secret, event: buildEvent('chat') });
 * await request(app).post('/webhooks/caleida').set(headers).send(body).expect(200);
 */
export function signedRequest({
  secret,
  event,
  id = generateEventId(),
  timestamp,
}: SignedRequestOptions): SignedRequest {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const headers = signHeaders({
    secret,
    id,
    payload: body,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  return { id, body, headers: { ...headers, 'content-type': 'application/json' } };
}
