import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Makes a new `webhook-id`: `evt_` and 24 random base62 characters. The id is the event's: it stays
 * the same on every retry, which is what lets receivers drop duplicates.
 */
export function generateEventId(): string {
  const bytes = randomBytes(24);
  let id = 'evt_';
  for (const byte of bytes) id += ALPHABET[byte % 62];
  return id;
}
