import type { CheckCase } from './check-case.js';
import { requestCases } from './request-cases.js';
import { signatureCases } from './signature-cases.js';

export type { CaseContext, CaseRequest, CheckCase, Expectation } from './check-case.js';

/**
 * The valid event, its replay, then each attack, in the order `check` sends them. Each attack breaks
 * exactly one thing in a correctly signed request.
 */
export const attackCases: readonly CheckCase[] = [
  {
    name: 'valid event',
    required: true,
    expect: 'accept',
    recommended: 200,
    build: ({ valid }) => ({ method: 'POST', headers: { ...valid.headers }, body: valid.body }),
    risk: 'a correctly signed event was refused, so real deliveries fail too and every rejection below proves nothing',
    fix: 'verify with the same secret you passed to check, on the raw body bytes (mount the Caleida middleware before any JSON body parser)',
  },
  {
    name: 'replayed id',
    required: true,
    expect: 'accept-duplicate',
    recommended: 200,
    build: ({ valid }) => ({ method: 'POST', headers: { ...valid.headers }, body: valid.body }),
    risk: 'a copy of an event already processed was refused with an error, so Caleida would retry it again and again',
    fix: 'remember processed webhook-ids (a replay store) and answer 200 {"duplicate": true} without running handlers again',
  },
  ...signatureCases,
  ...requestCases,
];
