import { randomBytes } from 'node:crypto';
import { SECRET_PREFIX } from './decode-secret.js';

/**
 * Makes a strong secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64.
 *
 * @example
 * const secret = generateSecret(); // 'whsec_3q2+7w...'
 */
export function generateSecret(bytes = 32): string {
  return `${SECRET_PREFIX}${randomBytes(bytes).toString('base64')}`;
}
