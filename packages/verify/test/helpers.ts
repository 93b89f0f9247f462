import { buildEvent, signedRequest } from '../src/testing/index.js';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const OTHER_SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkhIQ==';

/** One correctly signed `message` request; each test breaks one thing in it. */
export function validRequest(
  overrides: { secret?: string; timestamp?: number; id?: string; body?: string } = {},
) {
  return signedRequest({
    secret: overrides.secret ?? SECRET,
    event: overrides.body ?? buildEvent('message', { seed: 42 }),
    ...(overrides.id ? { id: overrides.id } : {}),
    ...(overrides.timestamp ? { timestamp: overrides.timestamp } : {}),
  });
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
