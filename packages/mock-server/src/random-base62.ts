import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let used = POOL_BYTES;

/**
 * `count` random base62 characters (from the system's CSPRNG), for ids. Random bytes are drawn 4 KB
 * at a time and handed out from that pool, since one call into the CSPRNG costs as much as
 * hundreds of ids' worth of bytes.
 *
 * @example
 * `dlv_${randomBase62(20)}`; // 'dlv_4fQ9...'
 */
export function randomBase62(count: number): string {
  if (used + count > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  let chars = '';
  for (const end = used + count; used < end; used++) chars += ALPHABET[(pool[used] as number) % 62];
  return chars;
}
