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
  headers?: Record<string, string>,
): ReceiverResponse {
  return {
    status,
    headers: headers ? { ...JSON_HEADERS, ...headers } : { 'content-type': JSON_HEADERS['content-type'] },
    body: JSON.stringify(body),
  };
}

/** `Allow` on a 405; on a 408, `connection: close`, so a client still trickling a body is cut off. */
function extraHeaders(code: string): Record<string, string> {
  if (code === 'method_not_allowed') return { allow: 'POST' };
  if (code === 'body_read_timeout') return { connection: 'close' };
  return {};
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
    return jsonResponse(statusForCode[error.code], body, extraHeaders(error.code));
  }
  return jsonResponse(500, { code: 'internal_error', message: 'The webhook receiver failed unexpectedly.' });
}
