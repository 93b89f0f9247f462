/**
 * The base of every error this toolkit throws on purpose: a fixed string `code` to switch on and a
 * message that says what was wrong and how to fix it.
 */
export class CaleidaError<Code extends string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }
}
