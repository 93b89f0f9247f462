import { ApiError } from './api.js';
import { h } from './dom.js';
import { generateSecret } from './generate-secret.js';
import { DEFAULT_GRACE_SECONDS, describeSecretRotation, GRACE_PERIODS } from './secret-rotation.js';
import { describeDisabled } from './webhook-health.js';

/** The seed's description of each event, shown beside its checkbox. */
const EVENT_DESCRIPTIONS = {
  chat: 'A new chat is created.',
  message: 'A new message is created.',
  'insight.summary': 'A summary insight is generated.',
  'insight.topic': 'A topic insight is generated.',
  'insight.key': 'A key insight is generated.',
  'insight.conversation': 'A conversation insight is generated.',
  'insight.sentiment': 'A sentiment insight is generated.',
};

const FIELDS = ['url', 'name', 'secret', 'events', 'status'];

/**
 * The add/edit form in a modal `<dialog>`: Esc closes it and focus moves into it, as the platform
 * does for modal dialogs. Deleting asks for confirmation inside the dialog first.
 *
 * @param {{ api: ReturnType<import('./api.js').createApi>, eventTypes: readonly string[],
 *   onSaved: (webhook: object, created: boolean) => void, onDeleted: (webhook: object) => void }} options
 */
export function createWebhookDialog({ api, eventTypes, onSaved, onDeleted }) {
  const dialog = /** @type {HTMLDialogElement} */ (document.getElementById('webhook-dialog'));
  const form = /** @type {HTMLFormElement} */ (document.getElementById('webhook-form'));
  const title = document.getElementById('dialog-title');
  const fields = document.getElementById('form-fields');
  const formError = document.getElementById('form-error');
  const submitButton = /** @type {HTMLButtonElement} */ (document.getElementById('submit-button'));
  const deleteButton = /** @type {HTMLButtonElement} */ (form.querySelector('[data-action="delete"]'));
  const formActions = document.getElementById('form-actions');
  const confirmDelete = document.getElementById('confirm-delete');
  const confirmText = document.getElementById('confirm-text');
  const secretHint = document.getElementById('secret-hint');
  const statusField = document.getElementById('status-field');
  const statusHint = document.getElementById('status-hint');
  const grace = createGraceField(secretHint);
  const inputs = {
    url: /** @type {HTMLInputElement} */ (form.elements.namedItem('url')),
    name: /** @type {HTMLInputElement} */ (form.elements.namedItem('name')),
    secret: /** @type {HTMLInputElement} */ (form.elements.namedItem('secret')),
    status: /** @type {HTMLSelectElement} */ (form.elements.namedItem('status')),
  };

  const eventOptions = document.getElementById('event-options');
  eventOptions.replaceChildren(
    ...eventTypes.map((type) =>
      h(
        'label',
        { class: 'event-option' },
        h('input', { type: 'checkbox', name: 'events', value: type }),
        h('span', { class: 'event-name mono' }, type),
        h('span', { class: 'event-description' }, EVENT_DESCRIPTIONS[type] ?? ''),
      ),
    ),
  );
  const eventBoxes = () =>
    /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll('input[name="events"]')]);

  /** The webhook being edited, or null when adding. */
  let editing = null;
  let saving = false;

  function clearErrors() {
    formError.hidden = true;
    formError.textContent = '';
    for (const field of FIELDS) showFieldError(field, null);
  }

  function showFieldError(field, message) {
    const element = document.getElementById(`${field}-error`);
    if (!element) return false;
    element.textContent = message ?? '';
    element.hidden = !message;
    const targets = field === 'events' ? eventBoxes() : [inputs[field]];
    for (const target of targets) {
      if (message) target.setAttribute('aria-invalid', 'true');
      else target.removeAttribute('aria-invalid');
    }
    return true;
  }

  function showError(error) {
    if (error instanceof ApiError && error.status === 401) {
      dialog.close();
      return;
    }
    const details = error instanceof ApiError ? error.details : [];
    const placed = details.filter((detail) => showFieldError(detail.field, detail.message));
    if (placed.length === 0 && error instanceof ApiError && error.code === 'name_taken') {
      showFieldError('name', error.message);
      placed.push({ field: 'name' });
    }
    if (placed.length === 0 || placed.length < details.length) {
      formError.textContent = error.message;
      formError.hidden = false;
    }
    const first = placed
      .map((detail) => detail.field)
      .sort((a, b) => FIELDS.indexOf(a) - FIELDS.indexOf(b))[0];
    if (first === 'events') eventBoxes()[0]?.focus();
    else if (first) inputs[first]?.focus();
  }

  function showConfirmStep(show) {
    formActions.hidden = show;
    confirmDelete.hidden = !show;
    fields.inert = show;
  }

  function open(webhook) {
    editing = webhook;
    form.reset();
    clearErrors();
    showConfirmStep(false);
    const isEdit = webhook !== null;
    title.textContent = isEdit ? 'Edit Webhook' : 'Add Webhook';
    submitButton.textContent = isEdit ? 'Save' : 'Add';
    deleteButton.hidden = !isEdit;
    statusField.hidden = !isEdit;
    if (isEdit) {
      inputs.url.value = webhook.url;
      inputs.name.value = webhook.name;
      inputs.status.value = webhook.status;
      for (const box of eventBoxes()) box.checked = webhook.events.includes(box.value);
      inputs.secret.placeholder = 'Leave empty to keep the current secret';
      secretHint.textContent = `Current secret: ${webhook.secret_hint}. Leave the field empty to keep it, or enter or generate a new one.`;
      const rotation = describeSecretRotation(webhook);
      if (rotation)
        secretHint.textContent += ` ${rotation} (${webhook.secret_rotation.previous_secret_hint}).`;
      grace.show(DEFAULT_GRACE_SECONDS);
      statusHint.textContent =
        webhook.status === 'disabled' && webhook.disabled_reason
          ? describeDisabled(webhook)
          : 'A disabled webhook receives no calls until it is active again.';
    } else {
      grace.hide();
      inputs.secret.placeholder = 'whsec_…';
      secretHint.textContent =
        'Generate makes a strong one (whsec_ and 32 random bytes). Keep a copy: your endpoint uses it to verify each call.';
    }
    dialog.showModal();
    inputs.url.focus();
  }

  async function save() {
    if (saving) return;
    clearErrors();
    const fieldsToSend = {
      url: inputs.url.value.trim(),
      name: inputs.name.value.trim(),
      events: eventBoxes()
        .filter((box) => box.checked)
        .map((box) => box.value),
    };
    const secret = inputs.secret.value.trim();
    const graceSeconds = grace.seconds();
    // With a grace period the secret is rotated on its own route first, so a refused secret saves
    // nothing; without one it is sent with the rest, which switches at once.
    const rotating = Boolean(editing && secret && graceSeconds > 0);
    if ((secret && !rotating) || !editing) fieldsToSend.secret = secret;
    if (editing) fieldsToSend.status = inputs.status.value;
    saving = true;
    submitButton.disabled = true;
    try {
      if (rotating) {
        await api.rotateSecret(editing.id, { secret, grace_period_seconds: graceSeconds });
        // Rotated: a retry after a refused field below must not rotate again.
        inputs.secret.value = '';
      }
      const webhook = editing
        ? await api.updateWebhook(editing.id, fieldsToSend)
        : await api.createWebhook(fieldsToSend);
      const created = !editing;
      dialog.close();
      onSaved(webhook, created);
    } catch (error) {
      showError(error);
    } finally {
      saving = false;
      submitButton.disabled = false;
    }
  }

  async function remove() {
    if (!editing || saving) return;
    const webhook = editing;
    saving = true;
    try {
      await api.deleteWebhook(webhook.id);
      dialog.close();
      onDeleted(webhook);
    } catch (error) {
      showConfirmStep(false);
      showError(error);
    } finally {
      saving = false;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });

  form.addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('[data-action]');
    if (!button) return;
    switch (button.dataset.action) {
      case 'close':
        dialog.close();
        break;
      case 'generate-secret':
        inputs.secret.value = generateSecret();
        showFieldError('secret', null);
        inputs.secret.focus();
        inputs.secret.select();
        break;
      case 'delete':
        confirmText.replaceChildren(
          'Delete ',
          h('strong', {}, editing.name),
          '? Caleida stops calling ',
          h('span', { class: 'mono' }, editing.url),
          ' at once, retries already scheduled included. This cannot be undone.',
        );
        showConfirmStep(true);
        confirmDelete.querySelector('[data-action="cancel-delete"]').focus();
        break;
      case 'cancel-delete':
        showConfirmStep(false);
        deleteButton.focus();
        break;
      case 'confirm-delete':
        remove();
        break;
    }
  });

  dialog.addEventListener('close', () => {
    editing = null;
    showConfirmStep(false);
  });

  return {
    openAdd: () => open(null),
    openEdit: (webhook) => open(webhook),
    close: () => dialog.close(),
  };
}

/**
 * The "Keep signing with the old secret for" choice under the secret field, shown when editing.
 * Built here so the page's markup stays the seed's.
 *
 * @param {HTMLElement} secretHint the element it goes after
 */
function createGraceField(secretHint) {
  const select = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'webhook-grace', name: 'grace_period_seconds', 'aria-describedby': 'grace-hint' },
      ...GRACE_PERIODS.map((period) => h('option', { value: String(period.seconds) }, period.label)),
    )
  );
  const field = h(
    'div',
    { class: 'grace-field', id: 'grace-field', hidden: true },
    h('label', { for: 'webhook-grace' }, 'Grace period'),
    select,
    h(
      'p',
      { class: 'hint', id: 'grace-hint' },
      'How long to keep signing with the old secret once a new one is saved. Until then each call carries both signatures, so your endpoint keeps accepting calls while you deploy the new secret.',
    ),
  );
  secretHint.after(field);
  return {
    show(seconds) {
      select.value = String(seconds);
      field.hidden = false;
    },
    hide() {
      field.hidden = true;
    },
    /** The chosen grace period, or 0 when the field is hidden (adding a webhook). */
    seconds: () => (field.hidden ? 0 : Number(select.value)),
  };
}
