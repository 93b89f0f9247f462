import { SECRET_PREFIX } from '@caleida/verify';

/** A hint that tells secrets apart without revealing them: `whsec_ab…xy`. */
export function maskSecret(secret: string): string {
  const prefix = secret.startsWith(SECRET_PREFIX) ? SECRET_PREFIX : '';
  const key = secret.slice(prefix.length);
  return `${prefix}${key.slice(0, 2)}…${key.slice(-2)}`;
}
