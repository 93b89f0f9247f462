import { CaleidaError } from './caleida-error.js';

/** Why a signature check failed. Switch on this, never on the message. */
export type WebhookVerificationErrorCode =
  | 'missing_header'
  | 'ambiguous_header'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'malformed_signature'
  | 'no_matching_signature'
  | 'invalid_secret';

/**
 * Thrown by `verify()` when a request cannot be proven to come from Caleida.
 *
 * @example
 * try { verify({ secret, payload, headers }); }
 * catch (error) { if (error instanceof WebhookVerificationError && error.code === 'timestamp_too_old') ... }
 */
export class WebhookVerificationError extends CaleidaError<WebhookVerificationErrorCode> {
  override readonly name = 'WebhookVerificationError';
}
