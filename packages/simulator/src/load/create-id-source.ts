import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_BYTES = 24;

/**
 * Makes `webhook-id`s in the format of `generateEventId()` (`evt_` and 24 random base62
 * characters), drawing from a pool of random bytes refilled 4 KiB at a time: one `randomBytes` call
 * per request would be a large share of a load run's own cost.
 */
export function createIdSource(poolBytes = 4096): () => string {
  let pool = randomBytes(poolBytes);
  let offset = 0;
  return () => {
    if (offset + ID_BYTES > pool.length) {
      pool = randomBytes(poolBytes);
      offset = 0;
    }
    let id = 'evt_';
    for (let i = 0; i < ID_BYTES; i++) id += ALPHABET[(pool[offset + i] as number) % 62];
    offset += ID_BYTES;
    return id;
  };
}
