import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

// A KeyObject per key spares createHmac importing the raw key bytes on every call.
const keyObjects = new WeakMap<Buffer, KeyObject>();

/** HMAC-SHA256 of `{id}.{timestamp}.{payload}`: the signed content of the Standard Webhooks scheme. */
export function computeSignature(
  key: Buffer,
  id: string,
  timestamp: number,
  payload: string | Uint8Array,
): Buffer {
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    keyObject = createSecretKey(key);
    keyObjects.set(key, keyObject);
  }
  // Two updates instead of one concatenated string: the body is hashed as the exact bytes received.
  return createHmac('sha256', keyObject).update(`${id}.${timestamp}.`).update(payload).digest();
}
