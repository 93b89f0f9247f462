import { decodeSecret } from '@caleida/verify';
import { UsageError } from '../usage-error.js';

/** The environment variable read when `--secret` is not given. */
export const SECRET_ENV = 'CALEIDA_WEBHOOK_SECRET';

/**
 * The webhook secret from `--secret`, else `CALEIDA_WEBHOOK_SECRET`, checked the way receivers check
 * it. Error messages never contain the secret.
 *
 * @example
 * const secret = resolveSecret(argv.secret, process.env);
 */
export function resolveSecret(option: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const secret = typeof option === 'string' && option !== '' ? option : env[SECRET_ENV];
  if (!secret) {
    throw new UsageError(
      'missing_secret',
      `No webhook secret: pass --secret whsec_... or set ${SECRET_ENV} (use the secret your endpoint verifies with).`,
    );
  }
  try {
    decodeSecret(secret);
  } catch (error) {
    throw new UsageError('invalid_secret', (error as Error).message);
  }
  return secret;
}
