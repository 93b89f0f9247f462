import { encodeBase64 } from '../encoding/encode-base64.js';
import { computeSignatureWeb } from './compute-signature-web.js';
import type { SignOptions } from './sign.js';
import { toUnixSeconds } from './to-unix-seconds.js';

/**
 * `sign()` on Web Crypto: resolves to the `webhook-signature` header value (`v1,<base64>`), for
 * runtimes without node:crypto.
 *
 * @example
 * await signAsync({ secret, id: 'evt_1', timestamp: new Date(), payload: body }); // 'v1,K5oZ...'
 */
export async function signAsync({ secret, id, timestamp, payload }: SignOptions): Promise<string> {
  const seconds = toUnixSeconds(timestamp);
  return `v1,${encodeBase64(await computeSignatureWeb(secret, id, seconds, payload))}`;
}
