import { createApi } from './api.js';
import { createDeliveryDetail } from './delivery-detail.js';
import { createDeliveryList } from './delivery-list.js';
import { EVENT_TYPES } from './event-types.js';
import { createRecoverDialog } from './recover-dialog.js';
import { createWebhookDialog } from './webhook-dialog.js';
import { renderWebhookList } from './webhook-list.js';

const API_KEY_STORAGE = 'caleida.mock.apiKey';
const RECENT_DELIVERIES = 5;
// Deliveries move on their own (retries, the worker finishing): refresh fast while any is open.
const FAST_REFRESH_MS = 1000;
const SLOW_REFRESH_MS = 5000;

const elements = {
  keyPanel: document.getElementById('api-key-panel'),
  keyForm: /** @type {HTMLFormElement} */ (document.getElementById('api-key-form')),
  keyInput: /** @type {HTMLInputElement} */ (document.getElementById('api-key')),
  keyError: document.getElementById('api-key-error'),
  changeKey: document.getElementById('change-key'),
  addButton: document.getElementById('add-webhook'),
  webhooks: document.getElementById('webhooks'),
  list: document.getElementById('webhook-list'),
  empty: document.getElementById('empty-list'),
  notice: document.getElementById('notice'),
};

const storedKey = () => localStorage.getItem(API_KEY_STORAGE);

const api = createApi({
  apiKey: storedKey,
  onUnauthorized: () => {
    const hadKey = storedKey() !== null;
    localStorage.removeItem(API_KEY_STORAGE);
    dialog.close();
    recoverDialog.close();
    /** @type {HTMLDialogElement} */ (document.getElementById('delivery-dialog')).close();
    askForKey(hadKey ? 'The server did not accept this API key. Enter the current one.' : null);
  },
});

const dialog = createWebhookDialog({
  api,
  eventTypes: EVENT_TYPES,
  onSaved: (webhook, created) => {
    notify(created ? `Webhook “${webhook.name}” added.` : `Webhook “${webhook.name}” saved.`);
    refresh();
  },
  onDeleted: (webhook) => {
    notify(`Webhook “${webhook.name}” deleted. Caleida will make no more calls to it.`);
    refresh();
  },
});

const deliveryList = createDeliveryList({
  api,
  section: document.getElementById('deliveries-view'),
  eventTypes: EVENT_TYPES,
  onOpen: (delivery) => deliveryDetail.open(delivery),
});

const deliveryDetail = createDeliveryDetail({
  api,
  dialog: /** @type {HTMLDialogElement} */ (document.getElementById('delivery-dialog')),
  webhookName: (webhookId) => deliveryList.webhookName(webhookId),
  onResent: () => {
    deliveryList.refresh();
    refresh();
  },
});

const recoverDialog = createRecoverDialog({
  api,
  onRecovered: (webhook, result) => {
    notify(
      result.resent === 0
        ? `No failed deliveries to “${webhook.name}” in that time: nothing was queued.`
        : `${result.resent} failed ${result.resent === 1 ? 'delivery' : 'deliveries'} to “${webhook.name}” queued to send again.`,
    );
    refresh();
    deliveryList.refresh();
  },
});

/** Actions in progress, so their buttons stay disabled across re-renders. */
const busy = new Set();
let lastRendered = '';
let refreshTimer = 0;
let refreshing = null;
let refreshAgain = false;

function notify(message, tone = 'ok') {
  elements.notice.textContent = message;
  elements.notice.className = `notice ${tone}`;
  elements.notice.hidden = false;
}

function askForKey(message) {
  clearTimeout(refreshTimer);
  lastRendered = '';
  elements.webhooks.hidden = true;
  elements.addButton.hidden = true;
  elements.changeKey.hidden = true;
  elements.notice.hidden = true;
  deliveryList.hide();
  elements.keyPanel.hidden = false;
  elements.keyError.textContent = message ?? '';
  elements.keyError.hidden = !message;
  if (message) elements.keyInput.setAttribute('aria-invalid', 'true');
  else elements.keyInput.removeAttribute('aria-invalid');
  elements.keyInput.value = '';
  elements.keyInput.focus();
}

function showDashboard() {
  elements.keyPanel.hidden = true;
  elements.webhooks.hidden = false;
  elements.addButton.hidden = false;
  elements.changeKey.hidden = false;
}

/** Loads the webhooks and their recent deliveries; one load at a time, the latest request wins. */
function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  clearTimeout(refreshTimer);
  refreshing = load()
    .catch((error) => {
      if (error.status !== 401) notify(error.message, 'bad');
    })
    .finally(() => {
      refreshing = null;
      if (refreshAgain) {
        refreshAgain = false;
        refresh();
      }
    });
  return refreshing;
}

async function load() {
  if (!storedKey()) return;
  const webhooks = await api.listWebhooks();
  const lists = await Promise.all(
    webhooks.map((webhook) => api.listDeliveries(webhook.id, RECENT_DELIVERIES)),
  );
  const deliveries = new Map(webhooks.map((webhook, index) => [webhook.id, lists[index]]));
  showDashboard();
  render(webhooks, deliveries);
  deliveryList.show(webhooks);
  const moving = lists
    .flat()
    .some((delivery) => delivery.status === 'pending' || delivery.status === 'in_flight');
  refreshTimer = setTimeout(
    refresh,
    Math.min(moving ? FAST_REFRESH_MS : SLOW_REFRESH_MS, untilRotationEnds(webhooks)),
  );
}

/** Milliseconds until the first old secret stops signing (its note must go then), or Infinity. */
function untilRotationEnds(webhooks) {
  const now = Date.now();
  const ends = webhooks
    .map((webhook) => Date.parse(webhook.secret_rotation?.previous_secret_expires_at ?? '') - now)
    .filter((ms) => ms >= 0);
  return ends.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...ends) + 50;
}

function render(webhooks, deliveries) {
  // Re-render only on change, and keep focus on the same control, so a background refresh never
  // pulls focus away from someone using the keyboard.
  const snapshot = JSON.stringify([webhooks, [...deliveries], [...busy]]);
  if (snapshot === lastRendered) return;
  lastRendered = snapshot;
  const focusKey = /** @type {HTMLElement | null} */ (document.activeElement)?.dataset?.focusKey;
  elements.empty.hidden = webhooks.length > 0;
  renderWebhookList(
    elements.list,
    { webhooks, deliveries },
    {
      busy,
      onEdit,
      onTest,
      onResend,
      onRecover: (webhook) => recoverDialog.open(webhook),
    },
  );
  if (focusKey) elements.list.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

function onEdit(webhook) {
  dialog.openEdit(webhook);
}

async function runAction(key, action, success) {
  busy.add(key);
  lastRendered = '';
  try {
    const result = await action();
    notify(success(result));
  } catch (error) {
    if (error.status !== 401) notify(error.message, 'bad');
  } finally {
    busy.delete(key);
    lastRendered = '';
    refresh();
    deliveryList.refresh();
  }
}

function onTest(webhook) {
  runAction(
    `test:${webhook.id}`,
    () => api.sendTestEvent(webhook.id),
    (result) => `Test event ${result.event?.id ?? ''} sent to “${webhook.name}”.`,
  );
}

function onResend(delivery) {
  runAction(
    `resend:${delivery.id}`,
    () => api.retryDelivery(delivery.id),
    () => `Delivery ${delivery.id} queued to send again.`,
  );
}

elements.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = elements.keyInput.value.trim();
  if (!key) {
    askForKey('Enter the API key.');
    return;
  }
  localStorage.setItem(API_KEY_STORAGE, key);
  refresh();
});

elements.changeKey.addEventListener('click', () => {
  localStorage.removeItem(API_KEY_STORAGE);
  askForKey(null);
});

elements.addButton.addEventListener('click', () => dialog.openAdd());

if (storedKey()) refresh();
else askForKey(null);
