import type { AddressRule } from './address-problem.js';

/**
 * The mock server refused to connect to a webhook's address (see `addressProblem()`); the attempt
 * fails with this message and the delivery is not retried.
 *
 * @example
 * if (error instanceof AddressRefusedError && error.rule === 'private') ...
 */
export class AddressRefusedError extends Error {
  override readonly name = 'AddressRefusedError';
  readonly code = 'address_refused';
  readonly rule: AddressRule;

  constructor(rule: AddressRule, message: string) {
    super(message);
    this.rule = rule;
  }
}
