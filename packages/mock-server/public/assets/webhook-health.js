import { formatTime, h } from './dom.js';

/**
 * The webhook's success rate as a small badge for its row: the share of its latest (up to 100)
 * attempts that got a 2xx, toned green from 95 %, amber from 50 %, red below; an empty cell before
 * its first attempt (the row is a grid, so the cell is always there).
 *
 * @param {{ health?: { success_rate: number | null, attempts: number, failures: number } }} webhook
 * @returns {HTMLElement}
 */
export function renderHealthBadge(webhook) {
  const health = webhook.health;
  if (!health || health.success_rate === null) return h('span', { class: 'health-cell' });
  const percent = Math.floor(health.success_rate * 100);
  const tone = health.success_rate >= 0.95 ? 'ok' : health.success_rate >= 0.5 ? 'wait' : 'bad';
  const succeeded = health.attempts - health.failures;
  return h(
    'span',
    { class: 'health-cell' },
    h(
      'span',
      {
        class: `badge health ${tone}`,
        title: `${succeeded} of the latest ${health.attempts} attempts succeeded`,
      },
      h('span', { class: 'visually-hidden' }, 'Success rate: '),
      `${percent}% ok`,
    ),
  );
}

/**
 * Why a disabled webhook is disabled, and how to bring it back: the webhook list and the edit
 * dialog both say it this way.
 *
 * @param {{ disabled_reason: string | null, health?: { failing_since: string | null } }} webhook
 * @returns {string}
 */
export function describeDisabled(webhook) {
  const reason = webhook.disabled_reason;
  if (reason !== 'failing') {
    // Reasons the server writes as a sentence ("Disabled through the API on …") are shown as they are.
    return /^disabled\b/i.test(reason ?? '') ? String(reason) : `Disabled: ${reason}`;
  }
  const since = webhook.health?.failing_since;
  return (
    `Disabled automatically: every delivery has failed${since ? ` since ${formatTime(since)}` : ''}. ` +
    'Fix the endpoint, then edit the webhook and set its status to Active; ' +
    'then recover its failed deliveries to send them again.'
  );
}
