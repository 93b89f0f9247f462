import { randomFillSync } from 'node:crypto';

/** The 62 characters of base62 ids, in sort order: digits, then upper case, then lower case. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// 248 is the largest multiple of 62 that fits in a byte: bytes from 248 up are dropped, so that
// `byte % 62` gives every character 4 bytes of the 248 (mapping all 256 favours 0-7 by 25%).
const ACCEPT_BELOW = 248;
// One call into the CSPRNG costs about as much as hundreds of ids' worth of bytes.
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let used = POOL_BYTES;

/**
 * `length` random base62 characters from the system's CSPRNG, each of the 62 equally likely, for
 * ids. Random bytes are drawn 4 KB at a time and handed out from that pool, so making ids at a
 * high rate (a load run, a mock server under load) costs little more than the string itself.
 *
 * @param length How many characters: a whole number, 0 or more.
 * @example
 * `dlv_${randomBase62(20)}`; // 'dlv_4fQ9...'
 */
export function randomBase62(length: number): string {
  if (!(Number.isInteger(length) && length >= 0)) {
    throw new RangeError(`randomBase62(length): length must be a whole number, 0 or more; got ${length}`);
  }
  let chars = '';
  while (chars.length < length) {
    if (used === POOL_BYTES) {
      randomFillSync(pool);
      used = 0;
    }
    const byte = pool[used++] as number;
    if (byte < ACCEPT_BELOW) chars += BASE62_ALPHABET[byte % 62];
  }
  return chars;
}
