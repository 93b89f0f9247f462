import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TIME_CHARS = 9;
const RANDOM_CHARS = 11;

/**
 * An id like `newId()`'s (`prefix_` and 20 base62 characters) whose first 9 characters are the
 * time in milliseconds, so ids made one after another sort together. Rows keyed by them go to the
 * end of their index instead of a random page each, which keeps the pages a commit must write few.
 */
export function timeOrderedId(prefix: string): string {
  let time = '';
  for (let rest = Date.now(), i = 0; i < TIME_CHARS; i++, rest = Math.floor(rest / 62)) {
    time = ALPHABET[rest % 62] + time;
  }
  let id = `${prefix}_${time}`;
  for (const byte of randomBytes(RANDOM_CHARS)) id += ALPHABET[byte % 62];
  return id;
}
