import { PayloadValidationError } from '../errors/payload-validation-error.js';
import { statusForCode } from '../errors/status-for-code.js';
import { WebhookRequestError } from '../errors/webhook-request-error.js';
import { WebhookVerificationError } from '../errors/webhook-verification-error.js';
import type { ReceiverErrorBody, ReceiverResponse } from './receiver-types.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/** A JSON response with the given status. */
export function jsonResponse(
  status: number,
  body: object,
  headers: Record<string, string> = {},
): ReceiverResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** Turns any error into the receiver's JSON error response; the status comes from `statusForCode`. */
export function errorResponse(error: unknown): ReceiverResponse {
  if (
    error instanceof WebhookVerificationError ||
    error instanceof PayloadValidationError ||
    error instanceof WebhookRequestError
  ) {
    const body: ReceiverErrorBody = { code: error.code, message: error.message };
    if (error instanceof PayloadValidationError && error.issues.length > 0) body.issues = error.issues;
    return jsonResponse(
      statusForCode[error.code],
      body,
      error.code === 'method_not_allowed' ? { allow: 'POST' } : {},
    );
  }
  return jsonResponse(500, { code: 'internal_error', message: 'The webhook receiver failed unexpectedly.' });
}
