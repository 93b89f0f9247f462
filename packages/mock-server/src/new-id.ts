import { randomBase62 } from '@caleida/verify';

/** A random id with a prefix: `wh_`, `dlv_`, ... and 20 base62 characters. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(20)}`;
}
