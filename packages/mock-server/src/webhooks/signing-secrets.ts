import type { WebhookRecord } from '../storage/webhook-store.js';

/**
 * The secrets a delivery to `webhook` is signed with at `now`: the current one alone, or during a
 * rotation's grace period the current one first and then the one it replaced, so a receiver that
 * holds either accepts the call.
 *
 * @example
 * signHeaders({ secret: signingSecrets(webhook, Date.now()), id, payload });
 */
export function signingSecrets(
  webhook: Pick<WebhookRecord, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>,
  now: number,
): string | readonly [string, string] {
  const { previousSecret, previousSecretExpiresAt } = webhook;
  if (previousSecret === null || previousSecretExpiresAt === null || now >= previousSecretExpiresAt) {
    return webhook.secret;
  }
  return [webhook.secret, previousSecret];
}
