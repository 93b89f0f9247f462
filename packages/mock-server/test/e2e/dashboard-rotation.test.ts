import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Webhook } from '@caleida/mock-server/client';
import { sign, verify } from '@caleida/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDashboard } from './use-dashboard.js';

const API_KEY = 'dashboard-rotation-e2e-key-0123456789';
const OLD_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAAAAAAAAAAA=';

/** One call the receiver got, with what it answered. */
interface Call {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A real endpoint on 127.0.0.1: each path verifies with the secret it holds (answering 401 when no
 * signature matches), or answers `failWith` while that is set.
 */
const endpoints = new Map<string, { secret: string; failWith?: number }>();
const calls: Call[] = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const path = request.url ?? '/';
    const body = Buffer.concat(chunks).toString('utf8');
    const endpoint = endpoints.get(path);
    let status = 404;
    if (endpoint) status = endpoint.failWith ?? (accepts(endpoint.secret, request.headers, body) ? 200 : 401);
    calls.push({ path, headers: request.headers, body, status });
    response.writeHead(status).end();
  });
});
let receiverUrl = '';

function accepts(secret: string, headers: IncomingHttpHeaders, payload: string): boolean {
  try {
    verify({ secret, headers: headers as Record<string, string>, payload });
    return true;
  } catch {
    return false;
  }
}
const callsTo = (path: string) => calls.filter((call) => call.path === path);

async function createWebhook(name: string, path: string): Promise<Webhook> {
  endpoints.set(path, { secret: OLD_SECRET });
  const webhook = await dashboard.client.webhooks.create({
    name,
    url: `${receiverUrl}${path}`,
    secret: OLD_SECRET,
    events: ['message'],
  });
  expect(webhook).toMatchObject({ id: expect.stringMatching(/^wh_/), name });
  return webhook;
}

async function openDashboard(): Promise<void> {
  await dashboard.open();
  await dashboard.page.getByRole('button', { name: '+ Add Webhook' }).waitFor({ state: 'visible' });
}

/** The page refreshes every 5 s when nothing is moving: long enough for one refresh and a delivery. */
const soon = { timeout: 8_000, interval: 100 };
const row = (webhookId: string) => dashboard.page.locator(`li[data-webhook-id="${webhookId}"]`);
const utcClock = (iso: string) => new Date(iso).toISOString().slice(11, 16);

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const dashboard = useDashboard({
  apiKey: API_KEY,
  allowHttp: true,
  allowPrivateNetwork: true,
  retrySchedule: [0],
  retryJitter: 0,
});

describe('secret rotation and bulk recovery in the dashboard', () => {
  it('rotates with a grace period from the edit dialog: the list says until when the old secret is accepted, and each call carries both signatures', async () => {
    const webhook = await createWebhook('Rotated endpoint', '/rotated');
    await openDashboard();
    expect(await row(webhook.id).locator('.secret-rotation').count()).toBe(0);

    await row(webhook.id).locator('button.webhook-row').click();
    const grace = dashboard.page.getByLabel('Grace period');
    expect(await grace.inputValue()).toBe('86400');
    await dashboard.page.getByRole('button', { name: 'Generate' }).click();
    const newSecret = await dashboard.page.getByLabel('Secret', { exact: true }).inputValue();
    await grace.selectOption({ label: '1 hour' });
    await dashboard.page.getByRole('button', { name: 'Save' }).click();
    await dashboard.page.locator('#webhook-dialog').waitFor({ state: 'hidden' });

    const rotatedWebhook = await dashboard.client.webhooks.get(webhook.id);
    const expiresAt = rotatedWebhook.secret_rotation?.previous_secret_expires_at ?? '';
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(3_500_000);
    expect(await dashboard.client.webhooks.secret(webhook.id)).toBe(newSecret);
    await expect
      .poll(() => row(webhook.id).locator('.secret-rotation').textContent(), soon)
      .toBe(`Old secret accepted until ${utcClock(expiresAt)} UTC`);

    // The edit dialog says it too.
    await row(webhook.id).locator('button.webhook-row').click();
    await expect
      .poll(() => dashboard.page.locator('#secret-hint').textContent(), soon)
      .toContain(`Old secret accepted until ${utcClock(expiresAt)} UTC`);
    await dashboard.page.getByRole('button', { name: 'Cancel' }).click();

    // The endpoint still holds only the old secret, and accepts.
    await row(webhook.id).getByRole('button', { name: 'Send test event' }).click();
    await expect
      .poll(() => row(webhook.id).locator('tr.delivery .badge').textContent(), soon)
      .toBe('Succeeded');
    const [call] = callsTo('/rotated');
    if (!call) throw new Error('the endpoint got no call');
    expect(call.status).toBe(200);
    const signed = (secret: string) =>
      sign({
        secret,
        id: String(call.headers['webhook-id']),
        timestamp: Number(call.headers['webhook-timestamp']),
        payload: call.body,
      });
    expect(String(call.headers['webhook-signature']).split(' ')).toEqual([
      signed(newSecret),
      signed(OLD_SECRET),
    ]);
    expect(accepts(newSecret, call.headers, call.body)).toBe(true);
  });

  it('switches at once when "None" is chosen, and the note disappears once the grace period is over', async () => {
    const webhook = await createWebhook('Switched endpoint', '/switched');
    await openDashboard();
    const rotated = await dashboard.client.webhooks.rotateSecret(webhook.id, { grace_period_seconds: 8 });
    const expiresAt = Date.parse(rotated.secret_rotation?.previous_secret_expires_at ?? '');
    await dashboard.page.reload();
    await expect.poll(() => row(webhook.id).locator('.secret-rotation').count(), soon).toBe(1);
    // The note goes when the old secret stops signing, not at some later refresh.
    await expect
      .poll(() => row(webhook.id).locator('.secret-rotation').count(), { ...soon, timeout: 12_000 })
      .toBe(0);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(Date.now() - expiresAt).toBeLessThan(2_000);

    await row(webhook.id).locator('button.webhook-row').click();
    await dashboard.page.getByRole('button', { name: 'Generate' }).click();
    const newSecret = await dashboard.page.getByLabel('Secret', { exact: true }).inputValue();
    await dashboard.page.getByLabel('Grace period').selectOption({ label: 'None: switch at once' });
    await dashboard.page.getByRole('button', { name: 'Save' }).click();
    await dashboard.page.locator('#webhook-dialog').waitFor({ state: 'hidden' });
    expect((await dashboard.client.webhooks.get(webhook.id)).secret_rotation).toBeNull();
    expect(await dashboard.client.webhooks.secret(webhook.id)).toBe(newSecret);
    expect(await row(webhook.id).locator('.secret-rotation').count()).toBe(0);
  });

  it('recovers failed deliveries from the webhook: says how many were queued, and each reaches the endpoint once more', async () => {
    const webhook = await createWebhook('Recovered endpoint', '/recovered');
    endpoints.set('/recovered', { secret: OLD_SECRET, failWith: 503 });
    await dashboard.client.events.trigger('message', { id: 'evt_recover_dashboard_one' });
    await dashboard.client.events.trigger('message', { id: 'evt_recover_dashboard_two' });
    await expect
      .poll(
        async () =>
          (await dashboard.client.deliveries.list({ webhookId: webhook.id, status: 'failed' })).data.length,
        soon,
      )
      .toBe(2);
    expect(callsTo('/recovered').map((call) => call.status)).toEqual([503, 503]);
    endpoints.set('/recovered', { secret: OLD_SECRET });

    await openDashboard();
    await row(webhook.id)
      .getByRole('button', { name: 'Recover failed deliveries to Recovered endpoint' })
      .click();
    const recover = dashboard.page.locator('#recover-dialog');
    await recover.waitFor({ state: 'visible' });
    await recover.getByLabel('Failed since').selectOption({ label: 'Last hour' });
    await recover.getByRole('button', { name: 'Recover' }).click();
    await recover.waitFor({ state: 'hidden' });
    await expect
      .poll(() => dashboard.page.locator('#notice').textContent(), soon)
      .toBe('2 failed deliveries to “Recovered endpoint” queued to send again.');

    await expect.poll(() => callsTo('/recovered').length, soon).toBe(4);
    const resent = callsTo('/recovered').slice(2);
    expect(resent.map((call) => call.status)).toEqual([200, 200]);
    expect(resent.map((call) => call.headers['webhook-id']).sort()).toEqual([
      'evt_recover_dashboard_one',
      'evt_recover_dashboard_two',
    ]);
    await expect
      .poll(() => row(webhook.id).locator('tr.delivery .badge').allTextContents(), soon)
      .toEqual(['Succeeded', 'Succeeded']);

    // Nothing failed is left: a second recovery queues none.
    await row(webhook.id)
      .getByRole('button', { name: 'Recover failed deliveries to Recovered endpoint' })
      .click();
    await recover.getByRole('button', { name: 'Recover' }).click();
    await expect
      .poll(() => dashboard.page.locator('#notice').textContent(), soon)
      .toBe('No failed deliveries to “Recovered endpoint” in that time: nothing was queued.');
    expect(callsTo('/recovered')).toHaveLength(4);
  });
});
