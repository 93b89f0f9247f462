import { startMockServer } from '@caleida/mock-server';
import { createMockClient, type MockClient, type Webhook } from '@caleida/mock-server/client';
import type { EventType } from '@caleida/verify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, openIsolatedPage } from './browser.js';
import { startReceiver, type TestReceiver } from './start-receiver.js';

const API_KEY = 'dashboard-health-e2e-key-0123456789';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAAAAAAAAAAA=';

let server: Awaited<ReturnType<typeof startMockServer>>;
let client: MockClient;
let receiver: TestReceiver;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function createWebhook(fields: { name: string; url: string; events: EventType[] }): Promise<Webhook> {
  const webhook = await client.webhooks.create({ secret: SECRET, ...fields });
  expect(webhook).toMatchObject({ id: expect.stringMatching(/^wh_/), name: fields.name });
  return webhook;
}

const soon = { timeout: 5_000, interval: 100 };
const row = (webhookId: string) => page.locator(`li[data-webhook-id="${webhookId}"]`);

async function openDashboard(): Promise<void> {
  await page.goto(`${server.url}/integrations/webhook`);
  await page.getByLabel('API key').fill(API_KEY);
  await page.getByRole('button', { name: 'Connect' }).click();
}

/** Opens the webhook's edit dialog (its row's button is named `name`) and expects its status hint to read `text`. */
async function expectStatusHint(webhookId: string, name: RegExp, text: string | null): Promise<void> {
  await row(webhookId).getByRole('button', { name }).click();
  await expect.poll(() => page.locator('#status-hint').textContent(), soon).toBe(text);
}

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startMockServer({
    port: 0,
    db: ':memory:',
    apiKey: API_KEY,
    retrySchedule: [0],
    retryJitter: 0,
    // Disabled at the first exhausted delivery, so the test needs no clock.
    disableAfterFailingMs: 0,
    disableAfterExhausted: 1,
  });
  client = createMockClient({ url: server.url, apiKey: API_KEY });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await receiver?.close();
});

beforeEach(async () => {
  ({ context, page } = await openIsolatedPage(browser, server.url));
});

afterEach(async () => {
  await context?.close();
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
    await client.events.trigger('chat');
    await expect
      .poll(async () => (await client.webhooks.get(failing.id)).disabled_reason, soon)
      .toBe('failing');

    await openDashboard();

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
    await page.locator('#webhook-status').selectOption('active');
    await page.getByRole('button', { name: 'Save' }).click();

    await expect.poll(() => row(failing.id).locator('.disabled-reason').count(), soon).toBe(0);
    expect(await row(failing.id).locator('.badge.health').count()).toBe(0);
    expect(await client.webhooks.get(failing.id)).toMatchObject({
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
    await client.webhooks.update(paused.id, { status: 'disabled' });

    await openDashboard();
    const notice = row(paused.id).locator('.disabled-reason');
    await expect.poll(() => notice.textContent(), soon).toMatch(/^Disabled through the API on \S+\.$/);
    await expectStatusHint(paused.id, /^Paused endpoint/, await notice.textContent());
  });
});
