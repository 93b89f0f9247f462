import { decodeSecretKey } from '../secret/decode-secret-key.js';

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

// Importing a key is the costly part of a Web Crypto HMAC: once per secret, shared by concurrent
// first requests (the promise is cached), bounded like decodeSecret()'s cache.
const keys = new Map<string, Promise<HmacKey>>();
const CACHE_LIMIT = 256;
const utf8 = new TextEncoder();

/** The `CryptoKey` of a secret, imported once. Throws `invalid_secret` synchronously, as `decodeSecret()` does. */
export function importSecretKey(secret: string): Promise<HmacKey> {
  let key = keys.get(secret);
  if (!key) {
    const raw = decodeSecretKey(secret);
    key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    if (keys.size >= CACHE_LIMIT) keys.clear();
    keys.set(secret, key);
    key.catch(() => keys.delete(secret));
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
  const key = importSecretKey(secret);
  const signed = signedContent(id, timestamp, payload);
  return new Uint8Array(await crypto.subtle.sign('HMAC', await key, signed));
}

function signedContent(id: string, timestamp: number, payload: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof payload === 'string') return utf8.encode(`${id}.${timestamp}.${payload}`);
  // Prefix and body in one buffer: the body is hashed as the exact bytes received.
  const prefix = utf8.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + payload.length);
  content.set(prefix);
  content.set(payload, prefix.length);
  return content;
}
