import { decodeSecretKey } from './decode-secret-key.js';

export { MAX_SECRET_KEY_BYTES, MIN_SECRET_LENGTH, SECRET_PREFIX } from './decode-secret-key.js';

const cache = new Map<string, Buffer>();
const CACHE_LIMIT = 256;

/**
 * Turns the secret a user typed in the dashboard into the HMAC key (docs/protocol.md, "The secret").
 * `whsec_<base64>` is decoded (24 to 64 bytes); any other secret is its UTF-8 bytes and must be at
 * least 24 characters. Throws `WebhookVerificationError` with code `invalid_secret` otherwise.
 *
 * @example
 * decodeSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').length; // 24
 */
export function decodeSecret(secret: string): Buffer {
  const cached = cache.get(secret);
  if (cached) return cached;
  const bytes = decodeSecretKey(secret);
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(secret, key);
  return key;
}
