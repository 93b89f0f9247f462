import { buildEvent, signedRequest } from '@caleida/verify/testing';
import type { CaseRequest } from './check-case.js';

/** A correctly signed request for `event` (default: a generated message), optionally at another time. */
export function fresh(
  secret: string,
  event: object | string = buildEvent('message'),
  timestamp?: number,
): CaseRequest {
  const request = signedRequest({ secret, event, ...(timestamp === undefined ? {} : { timestamp }) });
  return { method: 'POST', headers: { ...request.headers }, body: request.body };
}

/** The same request without one header. */
export function without(request: CaseRequest, header: string): CaseRequest {
  const headers = { ...request.headers };
  delete headers[header];
  return { ...request, headers };
}

/** Now, in Unix seconds. */
export const now = (): number => Math.floor(Date.now() / 1000);
