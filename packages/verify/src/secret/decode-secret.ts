import { WebhookVerificationError } from '../errors/webhook-verification-error.js';

/** Prefix of a Standard Webhooks secret whose remainder is the base64-encoded key. */
export const SECRET_PREFIX = 'whsec_';
/** Shortest key accepted, in bytes (a `whsec_` key) or characters (any other secret). */
export const MIN_SECRET_LENGTH = 24;
/** Longest `whsec_` key accepted, in bytes. */
export const MAX_SECRET_KEY_BYTES = 64;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
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
  const key = decode(secret);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(secret, key);
  return key;
}

function decode(secret: unknown): Buffer {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw invalid(
      'the secret is empty; pass the secret this webhook was created with in the Caleida dashboard',
    );
  }
  if (secret.trim() !== secret) {
    throw invalid(
      'the secret starts or ends with whitespace; copy it again without surrounding spaces or newlines (check your .env file)',
    );
  }
  if (secret.startsWith(SECRET_PREFIX)) {
    const encoded = secret.slice(SECRET_PREFIX.length);
    if (!BASE64.test(encoded) || encoded.length % 4 === 1) {
      throw invalid(`the secret starts with "${SECRET_PREFIX}" but the rest is not valid base64`);
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length < MIN_SECRET_LENGTH || key.length > MAX_SECRET_KEY_BYTES) {
      throw invalid(
        `a "${SECRET_PREFIX}" secret must decode to ${MIN_SECRET_LENGTH} to ${MAX_SECRET_KEY_BYTES} bytes; this one decodes to ${key.length}`,
      );
    }
    return key;
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw invalid(
      `the secret is ${secret.length} characters long; use at least ${MIN_SECRET_LENGTH}, or better a generated whsec_ secret`,
    );
  }
  return Buffer.from(secret, 'utf8');
}

function invalid(message: string): WebhookVerificationError {
  return new WebhookVerificationError('invalid_secret', `Invalid webhook secret: ${message}.`);
}
