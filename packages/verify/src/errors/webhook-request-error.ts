import { CaleidaError } from './caleida-error.js';

/** Why the receiver refused an HTTP request before or after checking its signature. */
export type WebhookRequestErrorCode =
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'unsupported_content_encoding'
  | 'body_too_large'
  | 'body_read_timeout'
  | 'body_already_parsed'
  | 'body_already_consumed'
  | 'unknown_event_type'
  | 'in_flight'
  | 'replay_store_unavailable'
  | 'handler_failed';

/** Thrown inside the receiver for HTTP-level refusals; turned into a JSON error response. */
export class WebhookRequestError extends CaleidaError<WebhookRequestErrorCode> {
  override readonly name = 'WebhookRequestError';
}
