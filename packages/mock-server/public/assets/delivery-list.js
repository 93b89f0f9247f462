import {
  attemptCode,
  attemptSucceeded,
  DELIVERY_STATUS_LABELS,
  deliveryTone,
  isMoving,
} from './delivery-status.js';
import { formatTime, h } from './dom.js';

/** Deliveries per page. */
export const DELIVERY_PAGE_SIZE = 20;
// Deliveries move on their own: look again fast while one on the page is unfinished.
const FAST_REFRESH_MS = 1000;
const SLOW_REFRESH_MS = 5000;

/**
 * The deliveries section: every delivery, newest first, filtered by status and event type, a page
 * at a time (`GET /v1/deliveries?status=&type=&cursor=`), each row opening its detail.
 *
 * @param {{ api: ReturnType<import('./api.js').createApi>, section: HTMLElement,
 *   eventTypes: readonly string[], onOpen: (delivery: object) => void }} options
 */
export function createDeliveryList({ api, section, eventTypes, onOpen }) {
  const statusFilter = h(
    'select',
    { id: 'delivery-filter-status', name: 'status' },
    h('option', { value: '' }, 'All statuses'),
    ...Object.entries(DELIVERY_STATUS_LABELS).map(([value, label]) => h('option', { value }, label)),
  );
  const typeFilter = h(
    'select',
    { id: 'delivery-filter-type', name: 'type' },
    h('option', { value: '' }, 'All event types'),
    ...eventTypes.map((type) => h('option', { value: type }, type)),
  );
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const empty = h('p', { class: 'empty', hidden: true }, 'No deliveries match these filters.');
  const body = h('tbody', {});
  const table = h(
    'table',
    { class: 'deliveries delivery-log', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Deliveries, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Status', 'Event', 'Webhook', 'Attempts', 'Last response', 'Created'].map((name) =>
          h('th', { scope: 'col' }, name),
        ),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
      ),
    ),
    body,
  );
  const newer = h('button', { type: 'button', class: 'button small', disabled: true }, 'Newer deliveries');
  const older = h('button', { type: 'button', class: 'button small', disabled: true }, 'Older deliveries');
  const pageLabel = h('span', { class: 'page-label', 'aria-live': 'polite' }, 'Page 1');

  section.replaceChildren(
    h(
      'div',
      { class: 'section-head' },
      h('h2', { id: 'deliveries-title' }, 'Deliveries'),
      h(
        'form',
        { class: 'filters', 'aria-label': 'Filter deliveries', onsubmit: (event) => event.preventDefault() },
        h('div', { class: 'filter' }, h('label', { for: statusFilter.id }, 'Status'), statusFilter),
        h('div', { class: 'filter' }, h('label', { for: typeFilter.id }, 'Event type'), typeFilter),
      ),
    ),
    error,
    empty,
    table,
    h('nav', { class: 'pager', 'aria-label': 'Delivery pages' }, newer, pageLabel, older),
  );

  let webhookNames = new Map();
  /** Cursors of the pages before this one; the current page's cursor (null for the newest). */
  let previous = [];
  let cursor = null;
  let page = { data: [], next_cursor: null };
  let visible = false;
  let timer = 0;
  let loading = null;
  let loadAgain = false;
  let lastRendered = '';

  function filters() {
    return { status: statusFilter.value, type: typeFilter.value };
  }

  function restart() {
    previous = [];
    cursor = null;
    refresh();
  }

  statusFilter.addEventListener('change', restart);
  typeFilter.addEventListener('change', restart);
  older.addEventListener('click', () => {
    if (!page.next_cursor) return;
    previous.push(cursor);
    cursor = page.next_cursor;
    refresh();
  });
  newer.addEventListener('click', () => {
    if (previous.length === 0) return;
    cursor = previous.pop() ?? null;
    refresh();
  });

  /** Loads the current page; one load at a time, and one more if asked meanwhile. */
  function refresh() {
    if (!visible) return Promise.resolve();
    if (loading) {
      loadAgain = true;
      return loading;
    }
    clearTimeout(timer);
    const asked = { ...filters(), cursor };
    loading = api
      .listDeliveryPage({ ...asked, limit: DELIVERY_PAGE_SIZE })
      .then((answer) => {
        // A filter or page changed while this was on its way: its answer is for another page.
        if (JSON.stringify(asked) !== JSON.stringify({ ...filters(), cursor })) return;
        page = { data: answer.data ?? [], next_cursor: answer.next_cursor ?? null };
        error.hidden = true;
        render();
      })
      .catch((failure) => {
        if (failure.status === 401) return;
        error.textContent = failure.message;
        error.hidden = false;
      })
      .finally(() => {
        loading = null;
        if (loadAgain) {
          loadAgain = false;
          refresh();
          return;
        }
        if (visible)
          timer = setTimeout(refresh, page.data.some(isMoving) ? FAST_REFRESH_MS : SLOW_REFRESH_MS);
      });
    return loading;
  }

  function render() {
    newer.disabled = previous.length === 0;
    older.disabled = !page.next_cursor;
    pageLabel.textContent = `Page ${previous.length + 1}`;
    // Re-render rows only on change, and keep focus on the same button, so a background refresh
    // never pulls focus away from someone using the keyboard.
    const snapshot = JSON.stringify([page.data, [...webhookNames]]);
    if (snapshot === lastRendered) return;
    lastRendered = snapshot;
    const focusKey = /** @type {HTMLElement | null} */ (document.activeElement)?.dataset?.focusKey;
    empty.hidden = page.data.length > 0;
    table.hidden = page.data.length === 0;
    body.replaceChildren(...page.data.map(renderRow));
    if (focusKey) body.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  }

  function renderRow(delivery) {
    const attempts = delivery.attempts ?? [];
    const last = attempts[attempts.length - 1];
    const webhookName = webhookNames.get(delivery.webhook_id);
    return h(
      'tr',
      { class: 'delivery', dataset: { deliveryId: delivery.id } },
      h(
        'td',
        {},
        h(
          'span',
          { class: `badge ${deliveryTone(delivery.status)}` },
          DELIVERY_STATUS_LABELS[delivery.status] ?? delivery.status,
        ),
      ),
      h(
        'td',
        {},
        h('span', { class: 'chip' }, delivery.event_type),
        h('span', { class: 'event-id mono' }, delivery.event_id),
      ),
      h(
        'td',
        { class: 'webhook-cell' },
        webhookName ?? h('span', { class: 'muted-text mono' }, `${delivery.webhook_id} (deleted)`),
      ),
      h('td', { class: 'attempt-count' }, String(delivery.attempt_count ?? attempts.length)),
      h(
        'td',
        { class: 'last-response' },
        last
          ? h('span', { class: `attempt-code ${attemptSucceeded(last) ? 'ok' : 'bad'}` }, attemptCode(last))
          : h('span', { class: 'muted-text' }, 'None yet'),
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
            dataset: { focusKey: `details:${delivery.id}` },
            'aria-label': `Details of ${delivery.event_type} delivery ${delivery.id}`,
            onclick: () => onOpen(delivery),
          },
          'Details',
        ),
      ),
    );
  }

  return {
    /** Shows the section with the current webhooks' names, and loads the page when it was hidden. */
    show(webhooks) {
      webhookNames = new Map(webhooks.map((webhook) => [webhook.id, webhook.name]));
      if (visible) {
        render();
        return;
      }
      visible = true;
      section.hidden = false;
      refresh();
    },
    hide() {
      visible = false;
      section.hidden = true;
      clearTimeout(timer);
      lastRendered = '';
    },
    refresh,
    /** A webhook's name, for the detail view; undefined once deleted. */
    webhookName: (webhookId) => webhookNames.get(webhookId),
  };
}
