import { createHmac } from 'node:crypto';

/** HMAC-SHA256 of `{id}.{timestamp}.{payload}`: the signed content of the Standard Webhooks scheme. */
export function computeSignature(
  key: Buffer,
  id: string,
  timestamp: number,
  payload: string | Uint8Array,
): Buffer {
  // Two updates instead of one concatenated string: the body is hashed as the exact bytes received.
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(payload).digest();
}
