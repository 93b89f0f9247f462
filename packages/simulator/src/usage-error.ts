/** Why the command line could not be acted on; every one exits with code 2. */
export type UsageErrorCode =
  | 'unknown_event_type'
  | 'missing_secret'
  | 'invalid_secret'
  | 'invalid_url'
  | 'unreachable_host'
  | 'unreadable_file'
  | 'invalid_file'
  | 'invalid_option';

/**
 * A mistake in how the simulator was called: the message says what was wrong and how to fix it, and
 * the CLI prints it on one line, without a stack trace, then exits with code 2.
 *
 * @example
 * throw new UsageError('invalid_url', '--url "localhost" is not a URL; write it in full, e.g. http://localhost:3000/webhooks.');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    readonly code: UsageErrorCode,
    message: string,
  ) {
    super(message);
  }
}
