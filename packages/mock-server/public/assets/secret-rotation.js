const clock = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});
const dayAndClock = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** The grace periods the dashboard offers when a secret changes, in seconds. */
export const GRACE_PERIODS = [
  { seconds: 0, label: 'None: switch at once' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 604_800, label: '7 days' },
];

/** The grace period offered first: what the API uses when none is given. */
export const DEFAULT_GRACE_SECONDS = 86_400;

/**
 * "Old secret accepted until 14:05 UTC" while a rotation's previous secret still signs beside the
 * current one (with the date when it is not today), or null once it has expired or when there is
 * no rotation.
 *
 * @param {{ secret_rotation?: { previous_secret_expires_at: string } | null }} webhook
 * @param {number} [now]
 */
export function describeSecretRotation(webhook, now = Date.now()) {
  const expiresAt = Date.parse(webhook.secret_rotation?.previous_secret_expires_at ?? '');
  if (!Number.isFinite(expiresAt) || expiresAt <= now) return null;
  const sameDay = new Date(expiresAt).toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  const when = (sameDay ? clock : dayAndClock).format(new Date(expiresAt));
  return `Old secret accepted until ${when} UTC`;
}
