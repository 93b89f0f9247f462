import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random id with a prefix: `wh_`, `dlv_`, ... and 20 base62 characters. */
export function newId(prefix: string): string {
  const bytes = randomBytes(20);
  let id = `${prefix}_`;
  for (const byte of bytes) id += ALPHABET[byte % 62];
  return id;
}
