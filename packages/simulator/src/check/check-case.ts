import type { SignedRequest } from '@caleida/verify/testing';

/** A request as `check` sends it. */
export interface CaseRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** What a case needs to build its request. */
export interface CaseContext {
  secret: string;
  /** The correctly signed request sent first (the replay case sends it again). */
  valid: SignedRequest;
}

/** What a case expects from a correct receiver. */
export type Expectation = 'accept' | 'accept-duplicate' | 'reject';

/** One line of the conformance check. */
export interface CheckCase {
  name: string;
  /** Required cases protect the customer; a failure fails the check (exit 1). */
  required: boolean;
  expect: Expectation;
  /** The status docs/protocol.md recommends (`statusForCode`). */
  recommended: number;
  build(context: CaseContext): CaseRequest;
  /** Why a failure matters, in one line. */
  risk: string;
  /** How to fix it, in one line. */
  fix: string;
}
