import { ApiError } from './api.js';
import { h } from './dom.js';

/** How far back a recovery reaches, as offered in the dialog. */
const SINCE_CHOICES = [
  { ms: 3_600_000, label: 'Last hour' },
  { ms: 86_400_000, label: 'Last 24 hours' },
  { ms: 604_800_000, label: 'Last 7 days' },
];

/**
 * The "Recover failed deliveries" dialog: the user picks how far back to look, and every delivery
 * of the webhook that failed since then is queued to send again (`POST /v1/webhooks/{id}/recover`).
 * Builds its own modal `<dialog>`.
 *
 * @param {{ api: ReturnType<import('./api.js').createApi>,
 *   onRecovered: (webhook: object, result: { resent: number }) => void }} options
 */
export function createRecoverDialog({ api, onRecovered }) {
  const title = h('h2', { id: 'recover-title' }, 'Recover failed deliveries');
  const intro = h('p', { class: 'hint', id: 'recover-intro' });
  const since = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'recover-since', name: 'since', 'aria-describedby': 'recover-intro' },
      ...SINCE_CHOICES.map((choice, index) =>
        h('option', { value: String(choice.ms), selected: index === 1 }, choice.label),
      ),
    )
  );
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = /** @type {HTMLButtonElement} */ (
    h('button', { type: 'submit', class: 'button primary' }, 'Recover')
  );
  const form = h(
    'form',
    { novalidate: true },
    h(
      'header',
      { class: 'dialog-head' },
      title,
      h(
        'button',
        { type: 'button', class: 'icon-button', 'aria-label': 'Close', dataset: { action: 'close' } },
        '×',
      ),
    ),
    h(
      'div',
      { class: 'dialog-body' },
      error,
      h('div', { class: 'field' }, h('label', { for: 'recover-since' }, 'Failed since'), since, intro),
    ),
    h(
      'footer',
      { class: 'dialog-foot' },
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'button', dataset: { action: 'close' } }, 'Cancel'),
      submit,
    ),
  );
  const dialog = /** @type {HTMLDialogElement} */ (
    h(
      'dialog',
      { id: 'recover-dialog', class: 'dialog recover-dialog', 'aria-labelledby': 'recover-title' },
      form,
    )
  );
  document.body.append(dialog);

  /** The webhook being recovered. */
  let target = null;
  let sending = false;

  form.addEventListener('click', (event) => {
    if (/** @type {HTMLElement} */ (event.target).closest('[data-action="close"]')) dialog.close();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!target || sending) return;
    const webhook = target;
    sending = true;
    submit.disabled = true;
    error.hidden = true;
    try {
      const sinceTime = new Date(Date.now() - Number(since.value)).toISOString();
      const result = await api.recoverFailed(webhook.id, sinceTime);
      dialog.close();
      onRecovered(webhook, result);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) {
        dialog.close();
        return;
      }
      error.textContent = failure.message;
      error.hidden = false;
    } finally {
      sending = false;
      submit.disabled = false;
    }
  });

  return {
    /** @param {{ id: string, name: string }} webhook */
    open(webhook) {
      target = webhook;
      error.hidden = true;
      intro.textContent = `Every delivery to “${webhook.name}” made since then that has failed for good is sent once more. Deliveries still retrying are left alone.`;
      dialog.showModal();
      since.focus();
    },
    close: () => dialog.close(),
  };
}
