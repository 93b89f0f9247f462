import { CaleidaError } from './caleida-error.js';

/** Why a verified body is not a valid Caleida event. */
export type PayloadValidationErrorCode = 'empty_body' | 'invalid_utf8' | 'invalid_json' | 'invalid_payload';

/** One thing wrong in a payload: where (a path into the JSON) and what. */
export interface PayloadIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Thrown by `parseEvent()` when a body is not JSON or does not match the schema of its event type.
 * `issues` lists each problem with its path, e.g. `data.score: Too big: expected number to be <=1`.
 */
export class PayloadValidationError extends CaleidaError<PayloadValidationErrorCode> {
  override readonly name = 'PayloadValidationError';
  readonly issues: PayloadIssue[];

  constructor(code: PayloadValidationErrorCode, message: string, issues: PayloadIssue[] = []) {
    super(code, message);
    this.issues = issues;
  }
}
