import { decodeBase64 } from '../encoding/decode-base64.js';
import { WebhookVerificationError } from '../errors/webhook-verification-error.js';

/** Prefix of a Standard Webhooks secret whose remainder is the base64-encoded key. */
export const SECRET_PREFIX = 'whsec_';
/** Shortest key accepted, in bytes (a `whsec_` key) or characters (any other secret). */
export const MIN_SECRET_LENGTH = 24;
/** Longest `whsec_` key accepted, in bytes. */
export const MAX_SECRET_KEY_BYTES = 64;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextEncoder();

/**
 * The rules of `decodeSecret()` without Buffer, for runtimes that only have Web APIs: the same
 * checks and messages, the key as a `Uint8Array`. Not cached; callers cache what they derive from it.
 */
export function decodeSecretKey(secret: string): Uint8Array<ArrayBuffer> {
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
    const key = decodeBase64(encoded);
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
  return utf8.encode(secret);
}

function invalid(message: string): WebhookVerificationError {
  return new WebhookVerificationError('invalid_secret', `Invalid webhook secret: ${message}.`);
}
