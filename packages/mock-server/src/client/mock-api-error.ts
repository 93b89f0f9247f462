import type { ApiErrorCode, FieldIssue } from '../api/api-error.js';

/**
 * A call the mock server refused: its HTTP status, the error `code` to switch on, the message
 * saying how to fix it, and the fields that were wrong.
 *
 * @example
 * try { await client.webhooks.get('wh_nope'); } catch (error) {
 *   if (error instanceof MockApiError && error.code === 'not_found') ...
 * }
 */
export class MockApiError extends Error {
  override readonly name = 'MockApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: FieldIssue[];

  constructor(status: number, code: ApiErrorCode, message: string, details: FieldIssue[] = []) {
    const fields = details.map((detail) => `${detail.field}: ${detail.message}`).join('; ');
    super(fields ? `${message} (${fields})` : message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
