import { bytesEqualLatin1 } from './bytes-equal-latin1.js';
import { computeSignature } from './compute-signature.js';
import {
  noMatchingSignature,
  readSignatureHeaders,
  SIGNATURE_BYTES,
  type VerifiedWebhook,
  type VerifyOptions,
} from './read-signature-headers.js';

export {
  DEFAULT_TOLERANCE_SECONDS,
  type VerifiedWebhook,
  type VerifyOptions,
} from './read-signature-headers.js';

const decodeSignature = (base64: string): Buffer => Buffer.from(base64, 'base64');

/**
 * Proves a request came from Caleida: checks the headers, the timestamp window and the HMAC-SHA256
 * signature of `{id}.{timestamp}.{body}` in constant time. Synchronous. Throws
 * `WebhookVerificationError` with a `code` when it cannot.
 *
 * @example
 * const { id } = verify({ secret: process.env.CALEIDA_WEBHOOK_SECRET, payload: rawBody, headers: req.headers });
 */
export function verify(options: VerifyOptions): VerifiedWebhook {
  const { id, timestamp, candidates, secrets } = readSignatureHeaders(options, decodeSignature);
  for (const secret of secrets) {
    const expected = computeSignature(secret, id, timestamp, options.payload, 'binary');
    for (const candidate of candidates) {
      if (candidate.length === SIGNATURE_BYTES && bytesEqualLatin1(candidate, expected))
        return { id, timestamp };
    }
  }
  throw noMatchingSignature(candidates.length);
}
