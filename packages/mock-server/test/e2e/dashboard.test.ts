import type { Webhook } from '@caleida/mock-server/client';
import type { EventType } from '@caleida/verify';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type TestReceiver } from './start-receiver.js';
import { useDashboard } from './use-dashboard.js';

const API_KEY = 'dashboard-e2e-key-0123456789';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAAAAAAAAAAA=';

let receiver: TestReceiver;

async function createWebhook(fields: { name: string; url: string; events: EventType[] }): Promise<Webhook> {
  const webhook = await dashboard.client.webhooks.create({ secret: SECRET, ...fields });
  expect(webhook).toMatchObject({ id: expect.stringMatching(/^wh_/), name: fields.name });
  return webhook;
}

async function webhookNamed(name: string): Promise<Webhook | undefined> {
  return (await dashboard.client.webhooks.list()).find((webhook) => webhook.name === name);
}

/** Opens the page and connects with the API key, as a first-time visitor does. */
async function openDashboard(): Promise<void> {
  await dashboard.open();
  await dashboard.page.getByRole('button', { name: '+ Add Webhook' }).waitFor({ state: 'visible' });
}

/** Long enough for a delivery to finish and the page's next refresh (every second while one is open). */
const soon = { timeout: 5_000, interval: 100 };
const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);
const row = (webhookId: string) => dashboard.page.locator(`li[data-webhook-id="${webhookId}"]`);
const dialog = () => dashboard.page.locator('#webhook-dialog');

beforeAll(async () => {
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

const dashboard = useDashboard({ apiKey: API_KEY, retrySchedule: [0, 1], retryJitter: 0 });

describe('the webhook dashboard at /integrations/webhook', () => {
  it('asks for the API key once, keeps it across reloads, and asks again when the server refuses it', async () => {
    await dashboard.page.goto(`${dashboard.url}/integrations/webhook`);
    await dashboard.page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor({ state: 'visible' });
    await expect.poll(() => isFocused(dashboard.page.getByLabel('API key')), soon).toBe(true);

    await dashboard.page.getByLabel('API key').fill('not-the-right-key-at-all');
    await dashboard.page.getByRole('button', { name: 'Connect' }).click();
    await expect
      .poll(() => dashboard.page.locator('#api-key-error').textContent(), soon)
      .toContain('did not accept');

    await dashboard.page.getByLabel('API key').fill(API_KEY);
    await dashboard.page.getByRole('button', { name: 'Connect' }).click();
    await dashboard.page.getByRole('button', { name: '+ Add Webhook' }).waitFor({ state: 'visible' });

    await dashboard.page.reload();
    await dashboard.page.getByRole('button', { name: '+ Add Webhook' }).waitFor({ state: 'visible' });
    await dashboard.page.getByLabel('API key').waitFor({ state: 'hidden' });

    await dashboard.page.evaluate(() =>
      localStorage.setItem('caleida.mock.apiKey', 'a-key-that-was-rotated-away'),
    );
    await dashboard.page.reload();
    await dashboard.page.getByLabel('API key').waitFor({ state: 'visible' });
    await expect
      .poll(() => dashboard.page.locator('#api-key-error').textContent(), soon)
      .toContain('did not accept');
  });

  it('adds a webhook from the form with a generated secret: it shows in the list and through the API', async () => {
    await openDashboard();
    await dashboard.page.getByRole('button', { name: '+ Add Webhook' }).click();
    await dialog().waitFor({ state: 'visible' });
    await expect.poll(() => isFocused(dashboard.page.getByLabel('URL')), soon).toBe(true);

    await dashboard.page.getByLabel('URL').fill(`${receiver.url}/added`);
    await dashboard.page.getByLabel('Webhook name').fill('CRM sync');
    await dashboard.page.getByRole('button', { name: 'Generate' }).click();
    const secret = await dashboard.page.getByLabel('Secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    await dashboard.page.getByRole('checkbox', { name: /^chat/ }).check();
    await dashboard.page.getByRole('checkbox', { name: /^insight\.summary/ }).check();
    await dashboard.page.getByRole('button', { name: 'Add', exact: true }).click();

    await dialog().waitFor({ state: 'hidden' });
    const saved = await webhookNamed('CRM sync');
    expect(saved).toMatchObject({
      url: `${receiver.url}/added`,
      events: ['chat', 'insight.summary'],
      status: 'active',
    });
    expect(await dashboard.client.webhooks.secret(saved?.id ?? '')).toBe(secret);
    const listed = row(saved?.id ?? '');
    await expect.poll(() => listed.textContent(), soon).toContain('CRM sync');
    await expect.poll(() => listed.textContent(), soon).toContain(`${receiver.url}/added`);
    await expect.poll(() => listed.textContent(), soon).toContain('insight.summary');
    await expect.poll(() => listed.textContent(), soon).toContain('Active');
  });

  it("shows the API's field errors beside the field and saves nothing", async () => {
    await createWebhook({ name: 'Taken name', url: `${receiver.url}/taken`, events: ['chat'] });
    await openDashboard();
    await dashboard.page.getByRole('button', { name: '+ Add Webhook' }).click();
    await dashboard.page.getByLabel('URL').fill(`${receiver.url}/refused`);
    await dashboard.page.getByLabel('Webhook name').fill('Refused webhook');
    await dashboard.page.getByLabel('Secret').fill('short');
    await dashboard.page.getByRole('checkbox', { name: /^message/ }).check();
    await dashboard.page.getByRole('button', { name: 'Add', exact: true }).click();
    await dashboard.page.locator('#secret-error').waitFor({ state: 'visible' });
    await expect
      .poll(() => dashboard.page.getByLabel('Secret').getAttribute('aria-invalid'), soon)
      .toBe('true');

    await dashboard.page.getByRole('button', { name: 'Generate' }).click();
    await dashboard.page.getByLabel('URL').fill('http://example.com/hook');
    await dashboard.page.getByRole('button', { name: 'Add', exact: true }).click();
    await dashboard.page.locator('#url-error').waitFor({ state: 'visible' });
    await dashboard.page.locator('#secret-error').waitFor({ state: 'hidden' });

    await dashboard.page.getByLabel('URL').fill(`${receiver.url}/refused`);
    await dashboard.page.getByLabel('Webhook name').fill('Taken name');
    await dashboard.page.getByRole('button', { name: 'Add', exact: true }).click();
    await dashboard.page.locator('#name-error').waitFor({ state: 'visible' });
    await dashboard.page.locator('#url-error').waitFor({ state: 'hidden' });

    await dialog().waitFor({ state: 'visible' });
    expect(await webhookNamed('Refused webhook')).toBeUndefined();
  });

  it('edits a webhook: the form is prefilled, an empty secret keeps the current one, changes save through the API', async () => {
    const webhook = await createWebhook({
      name: 'Before rename',
      url: `${receiver.url}/edit`,
      events: ['chat', 'message'],
    });
    await openDashboard();
    await row(webhook.id)
      .getByRole('button', { name: /^Before rename/ })
      .click();

    await dashboard.page.getByRole('heading', { name: 'Edit Webhook' }).waitFor({ state: 'visible' });
    expect(await dashboard.page.getByLabel('URL').inputValue()).toBe(`${receiver.url}/edit`);
    expect(await dashboard.page.getByLabel('Webhook name').inputValue()).toBe('Before rename');
    expect(await dashboard.page.getByLabel('Secret').inputValue()).toBe('');
    await expect
      .poll(() => dashboard.page.locator('#secret-hint').textContent(), soon)
      .toContain(webhook.secret_hint);
    expect(await dashboard.page.getByRole('checkbox', { name: /^chat/ }).isChecked()).toBe(true);
    expect(await dashboard.page.getByRole('checkbox', { name: /^insight\.topic/ }).isChecked()).toBe(false);

    await dashboard.page.getByLabel('Webhook name').fill('After rename');
    await dashboard.page.getByRole('checkbox', { name: /^chat/ }).uncheck();
    await dashboard.page.getByRole('checkbox', { name: /^insight\.topic/ }).check();
    await dashboard.page.getByRole('button', { name: 'Save' }).click();

    await dialog().waitFor({ state: 'hidden' });
    await expect.poll(() => row(webhook.id).textContent(), soon).toContain('After rename');
    expect(await dashboard.client.webhooks.get(webhook.id)).toMatchObject({
      name: 'After rename',
      events: ['message', 'insight.topic'],
    });
    expect(await dashboard.client.webhooks.secret(webhook.id)).toBe(SECRET);
  });

  it('sends a test event, shows its delivery with a 2xx attempt, and resends it to the receiver', async () => {
    const url = receiver.endpoint('/tested', SECRET);
    const webhook = await createWebhook({ name: 'Tested endpoint', url, events: ['message'] });
    await openDashboard();

    await row(webhook.id).getByRole('button', { name: 'Send test event' }).click();
    const delivery = row(webhook.id).locator('tr.delivery');
    await expect.poll(() => delivery.count(), soon).toBe(1);
    await expect.poll(() => delivery.locator('.badge').textContent(), soon).toBe('Succeeded');
    await expect.poll(() => delivery.locator('.attempt').count(), soon).toBe(1);
    await expect.poll(() => delivery.locator('.attempt-code').textContent(), soon).toBe('200');
    expect(receiver.callsTo('/tested')).toHaveLength(1);
    const [first] = receiver.callsTo('/tested');
    expect(first).toMatchObject({ status: 200, eventType: 'message' });
    await expect.poll(() => delivery.textContent(), soon).toContain(first?.eventId ?? 'an event id');

    await delivery.getByRole('button', { name: /^Resend/ }).click();
    await expect.poll(() => delivery.locator('.attempt').count(), soon).toBe(2);
    await expect.poll(() => delivery.locator('.attempt-code').nth(1).textContent(), soon).toBe('200');
    await expect.poll(() => delivery.locator('.badge').textContent(), soon).toBe('Succeeded');
    const calls = receiver.callsTo('/tested');
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ status: 200, eventId: first?.eventId });

    await dashboard.page.screenshot({ path: '/tmp/dashboard.png', fullPage: true });
  });

  it("lists a failing endpoint's attempts with their status codes, and an unreachable one's error", async () => {
    const failing = await createWebhook({
      name: 'Failing endpoint',
      url: receiver.endpoint('/failing', SECRET, { failWith: 500 }),
      events: ['insight.sentiment'],
    });
    const unreachable = await createWebhook({
      name: 'Unreachable endpoint',
      url: 'http://127.0.0.1:9/nothing-listens-here',
      events: ['insight.sentiment'],
    });
    await dashboard.client.events.trigger('insight.sentiment');
    await openDashboard();

    // The schedule [0, 1] makes two attempts, one second apart, then gives up.
    const failed = row(failing.id).locator('tr.delivery');
    await expect.poll(() => failed.locator('.badge').textContent(), soon).toBe('Failed');
    expect(await failed.locator('.attempt-code').allTextContents()).toEqual(['500', '500']);
    const lost = row(unreachable.id).locator('tr.delivery');
    await expect.poll(() => lost.locator('.badge').textContent(), soon).toBe('Failed');
    expect(await lost.locator('.attempt-code').first().textContent()).toBe('No response');
    expect(await lost.locator('.attempt-error').first().textContent()).not.toBe('');
  });

  it('serves the page at both paths with a strict content security policy, and only its own assets', async () => {
    for (const path of ['/integrations/webhook', '/integrations/webhook/']) {
      const response = await fetch(`${dashboard.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await response.text()).toContain('<h1>Webhooks</h1>');
    }
    const script = await fetch(`${dashboard.url}/integrations/webhook/assets/dashboard.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const eventTypes = await fetch(`${dashboard.url}/integrations/webhook/assets/event-types.js`);
    expect(await eventTypes.text()).toContain('"insight.sentiment"');
    for (const path of ['assets/..%2F..%2Fpackage.json', 'assets/index.html', 'assets/missing.js']) {
      expect((await fetch(`${dashboard.url}/integrations/webhook/${path}`)).status).toBe(404);
    }
  });

  it('deletes only after confirmation in the dialog: cancel keeps it, confirm removes it and its calls stop', async () => {
    // A failing endpoint keeps a retry scheduled, which deleting must cancel.
    const url = receiver.endpoint('/deleted', SECRET, { failWith: 500 });
    const webhook = await createWebhook({ name: 'To delete', url, events: ['insight.key'] });
    await openDashboard();

    await row(webhook.id)
      .getByRole('button', { name: /^To delete/ })
      .click();
    await dashboard.page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect
      .poll(() => dashboard.page.locator('#confirm-text').textContent(), soon)
      .toContain('To delete');
    await expect
      .poll(() => isFocused(dashboard.page.getByRole('button', { name: 'Keep webhook' })), soon)
      .toBe(true);
    await dashboard.page.getByRole('button', { name: 'Keep webhook' }).click();
    await dashboard.page.locator('#confirm-text').waitFor({ state: 'hidden' });
    await dashboard.page.getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'hidden' });
    expect(await dashboard.client.webhooks.get(webhook.id)).toMatchObject({ id: webhook.id });

    await dashboard.client.events.trigger('insight.key');
    await expect.poll(() => receiver.callsTo('/deleted').length, soon).toBe(1);

    await row(webhook.id)
      .getByRole('button', { name: /^To delete/ })
      .click();
    await dashboard.page.getByRole('button', { name: 'Delete', exact: true }).click();
    await dashboard.page.getByRole('button', { name: 'Delete webhook' }).click();
    await dialog().waitFor({ state: 'hidden' });
    await expect.poll(() => row(webhook.id).count(), soon).toBe(0);
    await expect.poll(() => dashboard.page.getByRole('status').textContent(), soon).toContain('deleted');
    await expect(dashboard.client.webhooks.get(webhook.id)).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });

    // The retry was due 1 s after the first attempt. A failing witness webhook made now gets its own
    // retry 1 s after its first attempt: once that arrives, the deleted one's was due long before.
    // The new event goes to the deleted webhook too, if it still were subscribed.
    const witnessUrl = receiver.endpoint('/deleted-witness', SECRET, { failWith: 500 });
    const witness = await createWebhook({ name: 'Witness', url: witnessUrl, events: ['insight.key'] });
    await dashboard.client.events.trigger('insight.key');
    await expect.poll(() => receiver.callsTo('/deleted-witness').length, { timeout: 10_000 }).toBe(2);
    expect(receiver.callsTo('/deleted')).toHaveLength(1);
    await dashboard.client.webhooks.delete(witness.id);
  });

  it('closes the dialog with Esc and moves focus into it when it opens', async () => {
    const webhook = await createWebhook({
      name: 'Keyboard user',
      url: `${receiver.url}/keys`,
      events: ['chat'],
    });
    await openDashboard();

    await dashboard.page.getByRole('button', { name: '+ Add Webhook' }).focus();
    await dashboard.page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'visible' });
    expect(await dashboard.page.evaluate(() => document.activeElement?.closest('dialog')?.id)).toBe(
      'webhook-dialog',
    );
    await dashboard.page.keyboard.type('https://example.com/typed');
    await dashboard.page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    expect(await webhookNamed('')).toBeUndefined();

    await row(webhook.id)
      .getByRole('button', { name: /^Keyboard user/ })
      .focus();
    await dashboard.page.keyboard.press('Enter');
    await dashboard.page.getByRole('heading', { name: 'Edit Webhook' }).waitFor({ state: 'visible' });
    await dashboard.page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    expect((await dashboard.client.webhooks.get(webhook.id)).name).toBe('Keyboard user');
  });

  it('shows names and URLs as text, never as markup', async () => {
    const name = '<img src=x onerror="document.title=1">';
    const webhook = await createWebhook({
      name,
      url: `${receiver.url}/markup?<b>bold</b>`,
      events: ['chat'],
    });
    await openDashboard();
    await expect.poll(() => row(webhook.id).locator('.webhook-name').textContent(), soon).toBe(name);
    await expect.poll(() => row(webhook.id).locator('img, b').count(), soon).toBe(0);
  });
});
