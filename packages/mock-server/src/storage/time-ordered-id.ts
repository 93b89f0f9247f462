import { BASE62_ALPHABET, randomBase62 } from '@caleida/verify';

const TIME_CHARS = 9;

/**
 * An id like `newId()`'s (`prefix_` and `length` base62 characters, 20 by default) whose first 9
 * characters are the time in milliseconds and the rest random, so ids made one after another sort
 * together. Rows keyed by them go to the end of their index instead of a random page each, which
 * keeps the pages a commit must write few.
 *
 * @example
 * timeOrderedId('dlv'); // 'dlv_0NmF3k2aZ' + 11 random characters
 * timeOrderedId('evt', 24); // the format of `generateEventId()`: evt_ and 24 characters
 */
export function timeOrderedId(prefix: string, length = 20): string {
  const now = Date.now();
  // Ids come in bursts within one millisecond: encode its time once.
  if (now !== lastMs) {
    lastMs = now;
    lastTime = '';
    for (let rest = now, i = 0; i < TIME_CHARS; i++, rest = Math.floor(rest / 62)) {
      lastTime = BASE62_ALPHABET[rest % 62] + lastTime;
    }
  }
  return `${prefix}_${lastTime}${randomBase62(length - TIME_CHARS)}`;
}

let lastMs = -1;
let lastTime = '';
