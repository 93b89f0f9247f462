import type { Webhook } from '@caleida/mock-server/client';
import type { EventType } from '@caleida/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type TestReceiver } from './start-receiver.js';
import { useDashboard } from './use-dashboard.js';

const API_KEY = 'dashboard-health-e2e-key-0123456789';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAAAAAAAAAAA=';

let receiver: TestReceiver;

async function createWebhook(fields: { name: string; url: string; events: EventType[] }): Promise<Webhook> {
  const webhook = await dashboard.client.webhooks.create({ secret: SECRET, ...fields });
  expect(webhook).toMatchObject({ id: expect.stringMatching(/^wh_/), name: fields.name });
  return webhook;
}

const soon = { timeout: 5_000, interval: 100 };
const row = (webhookId: string) => dashboard.page.locator(`li[data-webhook-id="${webhookId}"]`);

/** Opens the webhook's edit dialog (its row's button is named `name`) and expects its status hint to read `text`. */
async function expectStatusHint(webhookId: string, name: RegExp, text: string | null): Promise<void> {
  await row(webhookId).getByRole('button', { name }).click();
  await expect.poll(() => dashboard.page.locator('#status-hint').textContent(), soon).toBe(text);
}

beforeAll(async () => {
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

const dashboard = useDashboard({
  apiKey: API_KEY,
  retrySchedule: [0],
  retryJitter: 0,
  // Disabled at the first exhausted delivery, so the test needs no clock.
  disableAfterFailingMs: 0,
  disableAfterExhausted: 1,
});

describe('endpoint health in the dashboard', () => {
  it('shows each webhook’s success rate, says why a failing one was disabled and how to re-enable it, and re-enables it', async () => {
    const healthy = await createWebhook({
      name: 'Healthy endpoint',
      url: receiver.endpoint('/healthy', SECRET),
      events: ['chat'],
    });
    const failing = await createWebhook({
      name: 'Failing endpoint',
      url: receiver.endpoint('/failing', SECRET, { failWith: 500 }),
      events: ['chat'],
    });
    await dashboard.client.events.trigger('chat');
    await expect
      .poll(async () => (await dashboard.client.webhooks.get(failing.id)).disabled_reason, soon)
      .toBe('failing');

    await dashboard.open();

    await expect
      .poll(() => row(healthy.id).locator('.badge.health').textContent(), soon)
      .toBe('Success rate: 100% ok');
    expect(await row(healthy.id).locator('.badge.health').getAttribute('title')).toBe(
      '1 of the latest 1 attempts succeeded',
    );
    await expect
      .poll(() => row(failing.id).locator('.badge.health').textContent(), soon)
      .toBe('Success rate: 0% ok');
    const notice = row(failing.id).locator('.disabled-reason');
    await expect
      .poll(() => notice.textContent(), soon)
      .toMatch(/^Disabled automatically: every delivery has failed since /);
    expect(await notice.textContent()).toContain('set its status to Active');

    // The edit dialog says it in the list's words.
    await expectStatusHint(failing.id, /^Failing endpoint/, await notice.textContent());
    await dashboard.page.locator('#webhook-status').selectOption('active');
    await dashboard.page.getByRole('button', { name: 'Save' }).click();

    await expect.poll(() => row(failing.id).locator('.disabled-reason').count(), soon).toBe(0);
    expect(await row(failing.id).locator('.badge.health').count()).toBe(0);
    expect(await dashboard.client.webhooks.get(failing.id)).toMatchObject({
      status: 'active',
      disabled_reason: null,
      health: { success_rate: null, attempts: 0, failing_since: null },
    });
  });

  it('says once, in the list and in the edit dialog, that a webhook was disabled through the API', async () => {
    const paused = await createWebhook({
      name: 'Paused endpoint',
      url: receiver.endpoint('/paused', SECRET),
      events: ['chat'],
    });
    await dashboard.client.webhooks.update(paused.id, { status: 'disabled' });

    await dashboard.open();
    const notice = row(paused.id).locator('.disabled-reason');
    await expect.poll(() => notice.textContent(), soon).toMatch(/^Disabled through the API on \S+\.$/);
    await expectStatusHint(paused.id, /^Paused endpoint/, await notice.textContent());
  });
});
