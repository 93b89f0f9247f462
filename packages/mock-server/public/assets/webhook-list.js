import { formatClock, formatDuration, formatTime, h } from './dom.js';
import { describeSecretRotation } from './secret-rotation.js';
import { describeDisabled, renderHealthBadge } from './webhook-health.js';

const DELIVERY_STATUS_LABELS = {
  pending: 'Pending',
  in_flight: 'Sending',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * Renders the webhook list: one row per webhook (click to edit) and, beneath it, its recent
 * deliveries with every attempt.
 *
 * @param {HTMLElement} container the `<ul>` to fill
 * @param {{ webhooks: object[], deliveries: Map<string, object[]> }} data
 * @param {{ onEdit: (webhook: object) => void, onTest: (webhook: object) => void, onResend: (delivery: object) => void, onRecover: (webhook: object) => void, busy: Set<string> }} actions
 */
export function renderWebhookList(container, { webhooks, deliveries }, actions) {
  container.replaceChildren(
    ...webhooks.map((webhook) => renderWebhook(webhook, deliveries.get(webhook.id) ?? [], actions)),
  );
}

function renderWebhook(webhook, recentDeliveries, actions) {
  const active = webhook.status === 'active';
  const rotation = describeSecretRotation(webhook);
  return h(
    'li',
    { class: 'webhook', dataset: { webhookId: webhook.id } },
    h(
      'button',
      {
        type: 'button',
        class: 'webhook-row',
        title: 'Edit this webhook',
        dataset: { focusKey: `edit:${webhook.id}` },
        onclick: () => actions.onEdit(webhook),
      },
      h('span', { class: 'webhook-name' }, webhook.name),
      h(
        'span',
        { class: 'webhook-url mono' },
        webhook.url,
        rotation ? h('span', { class: 'secret-rotation' }, rotation) : null,
      ),
      h('span', { class: 'chips' }, ...webhook.events.map((type) => h('span', { class: 'chip' }, type))),
      h(
        'span',
        { class: `badge ${active ? 'ok' : 'muted'}` },
        h('span', { class: 'visually-hidden' }, 'Status: '),
        active ? 'Active' : 'Disabled',
      ),
      renderHealthBadge(webhook),
      h('span', { class: 'chevron', 'aria-hidden': 'true' }, '›'),
    ),
    h(
      'div',
      { class: 'webhook-detail' },
      h(
        'div',
        { class: 'detail-head' },
        h('h3', {}, 'Recent deliveries'),
        !active && webhook.disabled_reason
          ? h('p', { class: 'disabled-reason' }, describeDisabled(webhook))
          : null,
        h('span', { class: 'spacer' }),
        h(
          'button',
          {
            type: 'button',
            class: 'button small',
            disabled: actions.busy.has(`test:${webhook.id}`),
            dataset: { focusKey: `test:${webhook.id}` },
            'aria-label': `Send test event to ${webhook.name}`,
            onclick: () => actions.onTest(webhook),
          },
          'Send test event',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'button small',
            disabled: !active || actions.busy.has(`recover:${webhook.id}`),
            dataset: { focusKey: `recover:${webhook.id}` },
            'aria-label': `Recover failed deliveries to ${webhook.name}`,
            onclick: () => actions.onRecover(webhook),
          },
          'Recover failed deliveries…',
        ),
      ),
      recentDeliveries.length === 0
        ? h('p', { class: 'empty small' }, 'No deliveries yet. Send a test event to check your endpoint.')
        : renderDeliveries(webhook, recentDeliveries, actions),
    ),
  );
}

function renderDeliveries(webhook, recentDeliveries, actions) {
  return h(
    'table',
    { class: 'deliveries' },
    h('caption', { class: 'visually-hidden' }, `Recent deliveries to ${webhook.name}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Event'),
        h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Attempts'),
        h('th', { scope: 'col' }, 'Created'),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
      ),
    ),
    h('tbody', {}, ...recentDeliveries.map((delivery) => renderDelivery(delivery, actions))),
  );
}

function renderDelivery(delivery, actions) {
  const attempts = delivery.attempts ?? [];
  return h(
    'tr',
    { class: 'delivery', dataset: { deliveryId: delivery.id } },
    h(
      'td',
      {},
      h('span', { class: 'chip' }, delivery.event_type),
      h('span', { class: 'event-id mono' }, delivery.event_id),
    ),
    h(
      'td',
      {},
      h(
        'span',
        { class: `badge ${deliveryTone(delivery.status)}` },
        DELIVERY_STATUS_LABELS[delivery.status] ?? delivery.status,
      ),
      delivery.next_attempt_at && delivery.status === 'pending'
        ? h('span', { class: 'next-attempt' }, `next ${formatTime(delivery.next_attempt_at)}`)
        : null,
    ),
    h(
      'td',
      {},
      attempts.length === 0
        ? h('span', { class: 'muted-text' }, 'None yet')
        : h('ol', { class: 'attempts' }, ...attempts.map(renderAttempt)),
    ),
    h('td', { class: 'time' }, formatTime(delivery.created_at)),
    h(
      'td',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'button small',
          disabled: actions.busy.has(`resend:${delivery.id}`),
          dataset: { focusKey: `resend:${delivery.id}` },
          'aria-label': `Resend ${delivery.event_type} delivery ${delivery.id}`,
          onclick: () => actions.onResend(delivery),
        },
        'Resend',
      ),
    ),
  );
}

function renderAttempt(attempt) {
  const code = attempt.status_code;
  const ok = typeof code === 'number' && code >= 200 && code < 300;
  return h(
    'li',
    {
      class: `attempt ${ok ? 'ok' : 'bad'}`,
      title: attempt.response_excerpt ? `Response: ${attempt.response_excerpt}` : undefined,
    },
    h('span', { class: 'attempt-number' }, `#${attempt.number}`),
    h('span', { class: 'attempt-code' }, code === null || code === undefined ? 'No response' : String(code)),
    h('span', { class: 'attempt-duration' }, formatDuration(attempt.duration_ms)),
    h('span', { class: 'attempt-time' }, formatClock(attempt.started_at)),
    attempt.error ? h('span', { class: 'attempt-error' }, attempt.error) : null,
  );
}

function deliveryTone(status) {
  if (status === 'succeeded') return 'ok';
  if (status === 'failed') return 'bad';
  if (status === 'cancelled') return 'muted';
  return 'wait';
}
