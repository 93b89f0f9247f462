import { createHmac, type KeyObject } from 'node:crypto';

/**
 * The least work any verifier on node:crypto must do for one signature: the HMAC of
 * `{id}.{timestamp}.{body}`, the candidate's base64 decoded, and a constant-time comparison. The
 * digest comes out as a latin1 (`binary`) string and is compared in a loop, the cheapest way Node offers:
 * `digest()` into a Buffer plus `timingSafeEqual` costs about a microsecond more per call, so a
 * floor written that way would be one a verifier could beat. Every bench holds verification to this.
 *
 * @example
 * if (!hmacFloorMatches(key, `${id}.${timestamp}.`, body, signatureHeader)) throw new Error('mismatch');
 */
export function hmacFloorMatches(
  key: Buffer | KeyObject,
  signedPrefix: string,
  body: string | Uint8Array,
  signatureHeader: string,
): boolean {
  const expected = createHmac('sha256', key).update(signedPrefix).update(body).digest('binary');
  const candidate = Buffer.from(signatureHeader.slice(3), 'base64');
  if (candidate.length !== expected.length) return false;
  let difference = 0;
  for (let index = 0; index < candidate.length; index++)
    difference |= (candidate[index] as number) ^ expected.charCodeAt(index);
  return difference === 0;
}
