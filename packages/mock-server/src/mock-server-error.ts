/** Why the mock server could not start. */
export type MockServerErrorCode =
  | 'invalid_option'
  | 'database_unavailable'
  /** Another mock server (this process or another, named in the message) uses the same file. */
  | 'database_in_use'
  /** The file failed `PRAGMA quick_check`; the message says how to recover it. */
  | 'database_corrupt'
  | 'port_in_use'
  | 'listen_failed';

/**
 * Thrown by `startMockServer()` when it cannot start; the CLI prints the message on one line and
 * exits with code 2.
 *
 * @example
 * try { await startMockServer({ port: 4000 }); }
 * catch (error) { if (error instanceof MockServerError && error.code === 'port_in_use') ... }
 */
export class MockServerError extends Error {
  override readonly name = 'MockServerError';
  readonly code: MockServerErrorCode;

  constructor(code: MockServerErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
