import type { WebhookChanges, WebhookRecord } from '../storage/webhook-store.js';
import { signingSecrets } from './signing-secrets.js';

/** How long the replaced secret keeps signing when a rotation does not say: 24 hours. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 86_400;
/** The longest grace period a rotation may ask for: 7 days. */
export const MAX_GRACE_PERIOD_SECONDS = 604_800;

/**
 * The changes that rotate `webhook` to `secret`: the secret signing now becomes the previous one
 * and keeps signing for `gracePeriodSeconds` (0 switches at once). Rotating again during a grace
 * period keeps only the newest previous secret: the older one stops signing at once, so at most
 * two signatures go out.
 *
 * @example
 * webhooks.update(id, rotateSecret(webhook, generateSecret(), 3600, Date.now()));
 */
export function rotateSecret(
  webhook: Pick<WebhookRecord, 'secret'>,
  secret: string,
  gracePeriodSeconds: number,
  now: number,
): WebhookChanges {
  if (gracePeriodSeconds === 0) {
    return { secret, previousSecret: null, previousSecretExpiresAt: null };
  }
  return {
    secret,
    previousSecret: webhook.secret,
    previousSecretExpiresAt: now + gracePeriodSeconds * 1000,
  };
}

/** When the previous secret stops signing, or null when only the current one signs at `now`. */
export function previousSecretExpiry(
  webhook: Pick<WebhookRecord, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>,
  now: number,
): number | null {
  return typeof signingSecrets(webhook, now) === 'string' ? null : webhook.previousSecretExpiresAt;
}
