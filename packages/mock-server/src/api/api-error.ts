/** Why an API call was refused. Switch on this, never on the message. */
export type ApiErrorCode =
  | 'unauthorized'
  | 'validation_failed'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'request_timeout'
  | 'headers_too_large'
  | 'malformed_request'
  | 'not_found'
  | 'name_taken'
  | 'event_id_taken'
  | 'webhook_deleted'
  | 'webhook_disabled'
  | 'storage_unavailable'
  | 'too_many_waiters'
  | 'internal_error';

/** One problem with one field of a request. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** The HTTP status of each code, in one place. */
export const STATUS_FOR_API_CODE: Record<ApiErrorCode, number> = {
  unauthorized: 401,
  validation_failed: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  request_timeout: 408,
  headers_too_large: 431,
  malformed_request: 400,
  not_found: 404,
  name_taken: 409,
  event_id_taken: 409,
  webhook_deleted: 409,
  webhook_disabled: 409,
  storage_unavailable: 503,
  too_many_waiters: 429,
  internal_error: 500,
};

/**
 * A refused API call; the error handler sends it as `{ code, message, details? }` with the status
 * from `STATUS_FOR_API_CODE`.
 *
 * @example
 * throw new ApiError('not_found', 'No webhook with id wh_123.');
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly details: FieldIssue[] | undefined;

  constructor(code: ApiErrorCode, message: string, details?: FieldIssue[]) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** The HTTP status for this error's code. */
  get statusCode(): number {
    return STATUS_FOR_API_CODE[this.code];
  }

  /** The JSON body sent to the client. */
  toJSON(): { code: ApiErrorCode; message: string; details?: FieldIssue[] } {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}
