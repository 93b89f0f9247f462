import {
  attemptCode,
  attemptSucceeded,
  DELIVERY_STATUS_LABELS,
  deliveryTone,
  isMoving,
} from './delivery-status.js';
import { formatDuration, formatTime, h } from './dom.js';

// While the delivery moves (or a resend waits for its attempt), look again this often.
const REFRESH_MS = 500;

/**
 * The delivery detail in a modal `<dialog>`: the delivery, then each attempt (newest first) with
 * the request headers and body it sent and the response it got, and a Resend button
 * (`POST /v1/deliveries/:id/retry`) whose new attempt shows when it arrives.
 *
 * @param {{ api: ReturnType<import('./api.js').createApi>, dialog: HTMLDialogElement,
 *   webhookName: (webhookId: string) => string | undefined, onResent: () => void }} options
 */
export function createDeliveryDetail({ api, dialog, webhookName, onResent }) {
  const title = h('h2', { id: 'delivery-dialog-title' }, 'Delivery');
  const content = h('div', { class: 'dialog-body delivery-detail' });
  const status = h('p', { class: 'detail-status', role: 'status', 'aria-live': 'polite' });
  const resend = h('button', { type: 'button', class: 'button primary' }, 'Resend');
  dialog.replaceChildren(
    h(
      'div',
      { class: 'dialog-frame' },
      h(
        'header',
        { class: 'dialog-head' },
        title,
        h(
          'button',
          { type: 'button', class: 'icon-button', 'aria-label': 'Close', onclick: () => dialog.close() },
          '×',
        ),
      ),
      content,
      h(
        'footer',
        { class: 'dialog-foot' },
        status,
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'button', onclick: () => dialog.close() }, 'Close'),
        resend,
      ),
    ),
  );

  let delivery = null;
  /** The attempt count a resend waits to see passed; null when no resend waits. */
  let awaitedAfter = null;
  let timer = 0;
  let lastRendered = '';
  /** Attempt numbers whose section the reader opened or closed, by number. */
  let opened = new Map();

  dialog.addEventListener('close', () => {
    clearTimeout(timer);
    delivery = null;
    awaitedAfter = null;
  });

  resend.addEventListener('click', async () => {
    if (!delivery) return;
    const before = delivery.attempts.length;
    resend.disabled = true;
    say('Sending again…');
    try {
      await api.retryDelivery(delivery.id);
      awaitedAfter = before;
      onResent();
      await load(delivery.id);
    } catch (failure) {
      if (failure.status !== 401) say(failure.message, 'bad');
      resend.disabled = false;
    }
  });

  function say(message, tone = '') {
    status.textContent = message;
    status.className = `detail-status ${tone}`;
  }

  async function load(id) {
    clearTimeout(timer);
    let answer;
    try {
      answer = await api.getDelivery(id);
    } catch (failure) {
      if (failure.status === 401) return;
      if (!dialog.open || delivery?.id !== id) return;
      say(failure.message, 'bad');
      timer = setTimeout(() => load(id), REFRESH_MS * 4);
      return;
    }
    if (!dialog.open || (delivery && delivery.id !== id)) return;
    delivery = answer;
    render();
    const arrived = awaitedAfter !== null && answer.attempts.length > awaitedAfter && !isMoving(answer);
    if (arrived) {
      const newest = answer.attempts[answer.attempts.length - 1];
      awaitedAfter = null;
      say(
        `Attempt #${newest.number} answered ${attemptCode(newest)}.`,
        attemptSucceeded(newest) ? 'ok' : 'bad',
      );
    }
    resend.disabled = awaitedAfter !== null;
    if (awaitedAfter !== null || isMoving(answer)) timer = setTimeout(() => load(id), REFRESH_MS);
  }

  function render() {
    const snapshot = JSON.stringify(delivery);
    if (snapshot === lastRendered) return;
    lastRendered = snapshot;
    title.textContent = `Delivery ${delivery.id}`;
    const scroll = content.scrollTop;
    content.replaceChildren(renderSummary(delivery), ...[...delivery.attempts].reverse().map(renderAttempt));
    content.scrollTop = scroll;
  }

  function renderSummary(shown) {
    const name = webhookName(shown.webhook_id);
    const rows = [
      [
        'Status',
        h(
          'span',
          { class: `badge ${deliveryTone(shown.status)}` },
          DELIVERY_STATUS_LABELS[shown.status] ?? shown.status,
        ),
      ],
      [
        'Event',
        h(
          'span',
          {},
          h('span', { class: 'chip' }, shown.event_type),
          ' ',
          h('span', { class: 'mono' }, shown.event_id),
        ),
      ],
      ['Webhook', name ?? h('span', { class: 'mono' }, `${shown.webhook_id} (deleted)`)],
      ['Created', formatTime(shown.created_at)],
      ['Attempts', String(shown.attempts.length)],
    ];
    if (shown.next_attempt_at) rows.push(['Next attempt', formatTime(shown.next_attempt_at)]);
    return h(
      'dl',
      { class: 'summary' },
      ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
    );
  }

  function renderAttempt(attempt) {
    const newest = attempt.number === delivery.attempts[delivery.attempts.length - 1]?.number;
    const open = opened.get(attempt.number) ?? newest;
    const ok = attemptSucceeded(attempt);
    const details = h(
      'details',
      { class: 'attempt-detail', open, dataset: { attempt: String(attempt.number) } },
      h(
        'summary',
        {},
        h('h3', { class: 'attempt-title' }, `Attempt #${attempt.number}`),
        h('span', { class: `attempt-code ${ok ? 'ok' : 'bad'}` }, attemptCode(attempt)),
        h('span', { class: 'muted-text' }, formatTime(attempt.started_at)),
        h('span', { class: 'muted-text' }, formatDuration(attempt.duration_ms)),
      ),
      h(
        'p',
        { class: 'timing' },
        `Started ${formatTime(attempt.started_at)}; took ${formatDuration(attempt.duration_ms)}`,
        typeof attempt.time_to_first_byte_ms === 'number'
          ? `; first byte after ${formatDuration(attempt.time_to_first_byte_ms)}`
          : '',
        '.',
      ),
      attempt.error ? h('p', { class: 'attempt-error' }, `Error: ${attempt.error}`) : null,
      h(
        'section',
        { class: 'exchange request' },
        h('h4', {}, 'Request'),
        renderHeaders(attempt.request?.headers, 'Request headers'),
        h('h5', {}, 'Body'),
        ...renderBody(attempt.request?.body, false),
      ),
      h(
        'section',
        { class: 'exchange response' },
        h('h4', {}, 'Response'),
        attempt.response
          ? [
              h(
                'p',
                { class: 'response-status' },
                'Status ',
                h('strong', {}, String(attempt.response.status)),
              ),
              renderHeaders(attempt.response.headers, 'Response headers'),
              h('h5', {}, 'Body'),
              ...renderBody(attempt.response.body, attempt.response.truncated),
            ]
          : h('p', { class: 'muted-text' }, 'No response arrived.'),
      ),
    );
    details.addEventListener('toggle', () => opened.set(attempt.number, details.open));
    return details;
  }

  return {
    /** Opens the detail of `shown` (a delivery from the list) and loads it in full. */
    open(shown) {
      delivery = null;
      awaitedAfter = null;
      lastRendered = '';
      opened = new Map();
      title.textContent = `Delivery ${shown.id}`;
      content.replaceChildren(h('p', { class: 'muted-text' }, 'Loading…'));
      say('');
      resend.disabled = false;
      resend.setAttribute('aria-label', `Resend delivery ${shown.id}`);
      if (!dialog.open) dialog.showModal();
      delivery = { ...shown, attempts: shown.attempts ?? [] };
      return load(shown.id);
    },
  };
}

function renderHeaders(headers, caption) {
  if (!headers) return h('p', { class: 'muted-text' }, 'Headers were not recorded for this attempt.');
  const entries = Object.entries(headers);
  if (entries.length === 0) return h('p', { class: 'muted-text' }, 'No headers.');
  return h(
    'table',
    { class: 'headers' },
    h('caption', {}, caption),
    h(
      'tbody',
      {},
      ...entries.map(([name, value]) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row', class: 'mono' }, name),
          h('td', { class: 'mono' }, Array.isArray(value) ? value.join(', ') : String(value)),
        ),
      ),
    ),
  );
}

function renderBody(text, truncated) {
  if (text === null || text === undefined) return [h('p', { class: 'muted-text' }, 'Not recorded.')];
  if (text === '') return [h('p', { class: 'muted-text' }, 'Empty.')];
  return [
    h('pre', { class: 'body mono', tabindex: '0' }, truncated ? text : pretty(text)),
    truncated
      ? h('p', { class: 'hint' }, 'Only the first 4 KB of the body was kept; the response was longer.')
      : null,
  ];
}

/** JSON indented for reading; any other text as it came. */
function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
