import { computeSignature } from './compute-signature.js';
import { toUnixSeconds } from './to-unix-seconds.js';

/** What `sign()` needs: the secret, the event id, the attempt's time and the exact body. */
export interface SignOptions {
  /** The webhook's secret (`whsec_...` or a string of 24+ characters). */
  secret: string;
  /** The `webhook-id`: the event id, the same on every retry. */
  id: string;
  /** The attempt's time, as Unix seconds or a `Date`. */
  timestamp: number | Date;
  /** The body exactly as it will be sent. */
  payload: string | Uint8Array;
}

/**
 * Signs a webhook and returns the `webhook-signature` header value (`v1,<base64>`).
 *
 * @example
 * sign({ secret, id: 'evt_1', timestamp: new Date(), payload: '{"type":"chat",...}' }); // 'v1,K5oZ...'
 */
export function sign({ secret, id, timestamp, payload }: SignOptions): string {
  const seconds = toUnixSeconds(timestamp);
  return `v1,${computeSignature(secret, id, seconds, payload, 'base64')}`;
}
