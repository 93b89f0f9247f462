import { decodeBase64 } from '../encoding/decode-base64.js';
import { computeSignatureWeb } from './compute-signature-web.js';
import {
  noMatchingSignature,
  readSignatureHeaders,
  SIGNATURE_BYTES,
  type VerifiedWebhook,
  type VerifyOptions,
} from './read-signature-headers.js';
import { timingSafeEqual } from './timing-safe-equal.js';

/**
 * `verify()` on Web Crypto (`crypto.subtle`), for runtimes with only Web APIs: Cloudflare Workers,
 * Vercel Edge, Deno Deploy, browsers; it works on Node, Bun and Deno too. The same checks, codes and
 * messages as `verify()`; only the HMAC differs. Rejects with `WebhookVerificationError`.
 *
 * @example
 * const { id } = await verifyAsync({ secret: env.CALEIDA_WEBHOOK_SECRET, payload: await request.arrayBuffer().then((b) => new Uint8Array(b)), headers: request.headers });
 */
export async function verifyAsync(options: VerifyOptions): Promise<VerifiedWebhook> {
  const { id, timestamp, candidates, secrets } = readSignatureHeaders(options, decodeBase64);
  for (const secret of secrets) {
    const expected = await computeSignatureWeb(secret, id, timestamp, options.payload);
    for (const candidate of candidates) {
      if (candidate.length === SIGNATURE_BYTES && timingSafeEqual(candidate, expected))
        return { id, timestamp };
    }
  }
  throw noMatchingSignature(candidates.length);
}
