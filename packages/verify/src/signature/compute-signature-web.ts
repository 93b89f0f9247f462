import { decodeSecretKey } from '../secret/decode-secret-key.js';
import { encodeSignedContent, releaseSignedContent } from './signed-content.js';

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

// Importing a key is the costly part of a Web Crypto HMAC: once per secret, shared by concurrent
// first requests (the promise is cached), bounded like decodeSecret()'s cache.
const keys = new Map<string, Promise<HmacKey>>();
// The same keys once imported, so a request for a known secret does not wait on a promise.
const importedKeys = new Map<string, HmacKey>();
const CACHE_LIMIT = 256;

/** The `CryptoKey` of a secret, imported once. Throws `invalid_secret` synchronously, as `decodeSecret()` does. */
export function importSecretKey(secret: string): Promise<HmacKey> {
  let key = keys.get(secret);
  if (!key) {
    const raw = decodeSecretKey(secret);
    key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    if (keys.size >= CACHE_LIMIT) {
      keys.clear();
      importedKeys.clear();
    }
    keys.set(secret, key);
    key.then(
      (imported) => {
        if (keys.has(secret)) importedKeys.set(secret, imported);
      },
      () => keys.delete(secret),
    );
  }
  return key;
}

/**
 * HMAC-SHA256 of `{id}.{timestamp}.{payload}` through `crypto.subtle`: the Web Crypto twin of
 * `computeSignature()`, for runtimes without node:crypto.
 */
export async function computeSignatureWeb(
  secret: string,
  id: string,
  timestamp: number,
  payload: string | Uint8Array,
): Promise<Uint8Array> {
  const key = importedKeys.get(secret) ?? (await importSecretKey(secret));
  const content = encodeSignedContent(id, timestamp, payload);
  try {
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, content));
  } finally {
    releaseSignedContent(content);
  }
}
