import type { PayloadValidationErrorCode } from './payload-validation-error.js';
import type { WebhookRequestErrorCode } from './webhook-request-error.js';
import type { WebhookVerificationErrorCode } from './webhook-verification-error.js';

/** Every error code a receiver can answer with. */
export type ReceiverErrorCode =
  | WebhookVerificationErrorCode
  | PayloadValidationErrorCode
  | WebhookRequestErrorCode;

/**
 * The one table that maps an error code to the HTTP status a receiver answers, the same in every
 * adapter (docs/protocol.md, "What a receiver answers").
 */
export const statusForCode: Readonly<Record<ReceiverErrorCode, number>> = {
  missing_header: 400,
  ambiguous_header: 400,
  invalid_timestamp: 400,
  malformed_signature: 400,
  timestamp_too_old: 401,
  timestamp_too_new: 401,
  no_matching_signature: 401,
  invalid_secret: 500,
  empty_body: 400,
  invalid_utf8: 400,
  invalid_json: 400,
  invalid_payload: 400,
  unknown_event_type: 400,
  method_not_allowed: 405,
  unsupported_media_type: 415,
  unsupported_content_encoding: 415,
  body_too_large: 413,
  body_read_timeout: 408,
  in_flight: 409,
  replay_store_unavailable: 503,
  body_already_parsed: 500,
  body_already_consumed: 500,
  handler_failed: 500,
};
