import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryDetail } from '@caleida/mock-server/client';
import type { EventType } from '@caleida/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDashboard } from './use-dashboard.js';

const API_KEY = 'deliveries-e2e-key-0123456789';
const SECRET = 'whsec_QmVhdXRpZnVsRGVsaXZlcmllc1NlY3JldEtleTAxMjM0NQ==';

let receiver: {
  url: string;
  calls: Map<string, Array<{ headers: IncomingHttpHeaders; body: string }>>;
  server: Server;
};

/** What the receiver answers on each path: status, headers, body. */
const ANSWERS: Record<string, { status: number; headers: Record<string, string>; body: string }> = {
  '/bad': {
    status: 400,
    headers: { 'content-type': 'application/json', 'x-request-id': 'req_inspect_400' },
    body: '{"error":"missing field data.chat_id"}',
  },
  '/ok': { status: 200, headers: { 'content-type': 'text/plain' }, body: 'thanks' },
};

async function startAnsweringReceiver(): Promise<typeof receiver> {
  const calls = new Map<string, Array<{ headers: IncomingHttpHeaders; body: string }>>();
  const http = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      calls.set(path, [
        ...(calls.get(path) ?? []),
        { headers: request.headers, body: Buffer.concat(chunks).toString() },
      ]);
      const answer = ANSWERS[path] ?? { status: 404, headers: {}, body: '' };
      response.writeHead(answer.status, answer.headers).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, calls, server: http };
}

let names = 0;
async function createWebhook(path: string, events: EventType[]): Promise<{ id: string; name: string }> {
  names++;
  const name = `Inspected ${names}`;
  const webhook = await dashboard.client.webhooks.create({
    name,
    url: `${receiver.url}${path}`,
    secret: SECRET,
    events,
  });
  expect(webhook).toMatchObject({ id: expect.stringMatching(/^wh_/), name });
  return webhook;
}

/** Triggers an event and waits until its delivery to `webhookId` has finished. */
async function deliver(type: EventType, webhookId: string): Promise<DeliveryDetail> {
  const { deliveries } = await dashboard.client.events.trigger(type);
  const id = deliveries.find((delivery) => delivery.webhook_id === webhookId)?.id;
  if (!id) throw new Error(`the ${type} event made no delivery to webhook ${webhookId}`);
  let delivery: DeliveryDetail | undefined;
  await expect
    .poll(async () => {
      delivery = await dashboard.client.deliveries.get(id);
      return delivery.status;
    }, soon)
    .toMatch(/^(succeeded|failed)$/);
  return delivery as DeliveryDetail;
}

async function openDashboard(): Promise<void> {
  await dashboard.open();
  await dashboard.page.getByRole('heading', { name: 'Deliveries', level: 2 }).waitFor({ state: 'visible' });
}

const soon = { timeout: 5_000, interval: 100 };
const view = () => dashboard.page.locator('#deliveries-view');
const listed = (id: string) => view().locator(`tr[data-delivery-id="${id}"]`);
const listedIds = () =>
  view()
    .locator('tr.delivery')
    .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.deliveryId));
const detail = () => dashboard.page.getByRole('dialog');

async function openDetail(delivery: Pick<DeliveryDetail, 'id' | 'event_type'>): Promise<void> {
  await listed(delivery.id)
    .getByRole('button', { name: `Details of ${delivery.event_type} delivery ${delivery.id}` })
    .click();
  await dashboard.page
    .getByRole('heading', { name: `Delivery ${delivery.id}` })
    .waitFor({ state: 'visible' });
}

beforeAll(async () => {
  receiver = await startAnsweringReceiver();
});

afterAll(async () => {
  receiver?.server.closeAllConnections();
  await new Promise((resolve) => receiver?.server.close(resolve));
});

const dashboard = useDashboard({ apiKey: API_KEY, retrySchedule: [0], retryJitter: 0 });

describe('the deliveries view of the dashboard', () => {
  it('the detail of a delivery answered 400 shows the signed request headers, the body and the response', async () => {
    const webhook = await createWebhook('/bad', ['message']);
    const delivery = await deliver('message', webhook.id);
    expect(delivery.status).toBe('failed');
    const got = receiver.calls.get('/bad')?.at(-1);
    await openDashboard();
    await expect.poll(() => listed(delivery.id).textContent(), soon).toContain(webhook.name);
    await expect.poll(() => listed(delivery.id).locator('.last-response').textContent(), soon).toBe('400');
    await openDetail(delivery);

    const attempt = detail().locator('details.attempt-detail').first();
    expect(await attempt.getAttribute('open')).not.toBeNull();
    const requestHeaders = attempt.getByRole('table', { name: 'Request headers' });
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const value = await requestHeaders
        .getByRole('row', { name: new RegExp(`^${name}`) })
        .locator('td')
        .textContent();
      expect(value, name).toBe(got?.headers[name]);
    }
    expect(got?.headers['webhook-signature']).toMatch(/^v1,/);
    const bodies = attempt.locator('pre.body');
    expect(await bodies.first().textContent()).toBe(JSON.stringify(JSON.parse(got?.body ?? ''), null, 2));
    await expect.poll(() => attempt.locator('.response-status').textContent(), soon).toBe('Status 400');
    const responseHeaders = attempt.getByRole('table', { name: 'Response headers' });
    expect(
      await responseHeaders
        .getByRole('row', { name: /^x-request-id/ })
        .locator('td')
        .textContent(),
    ).toBe('req_inspect_400');
    expect(await bodies.nth(1).textContent()).toBe(
      JSON.stringify({ error: 'missing field data.chat_id' }, null, 2),
    );
    expect(await attempt.locator('.timing').textContent()).toMatch(/took \d+ ms/);
    await dashboard.page.screenshot({ path: '/tmp/dashboard-delivery-detail.png' });

    await dashboard.page.getByRole('button', { name: 'Close' }).first().click();
    await detail().waitFor({ state: 'hidden' });
  });

  it('Resend from the detail makes a new attempt and shows it when it arrives', async () => {
    const webhook = await createWebhook('/bad', ['insight.summary']);
    const delivery = await deliver('insight.summary', webhook.id);
    const before = receiver.calls.get('/bad')?.length ?? 0;
    await openDashboard();
    await openDetail(delivery);
    await expect.poll(() => detail().locator('details.attempt-detail').count(), soon).toBe(1);

    await detail()
      .getByRole('button', { name: `Resend delivery ${delivery.id}` })
      .click();
    await expect.poll(() => detail().locator('details.attempt-detail').count(), soon).toBe(2);
    await expect
      .poll(() => detail().getByRole('status').textContent(), soon)
      .toBe('Attempt #2 answered 400.');
    // The newest attempt comes first, open.
    const newest = detail().locator('details.attempt-detail').first();
    expect(await newest.locator('.attempt-title').textContent()).toBe('Attempt #2');
    expect(await newest.getAttribute('open')).not.toBeNull();
    expect(receiver.calls.get('/bad')?.length).toBe(before + 1);
    const signature = receiver.calls.get('/bad')?.at(-1)?.headers['webhook-signature'];
    expect(
      await newest
        .getByRole('row', { name: /^webhook-signature/ })
        .locator('td')
        .textContent(),
    ).toBe(signature);
    expect((await dashboard.client.deliveries.get(delivery.id)).attempts).toHaveLength(2);
  });

  it('the status and event type filters narrow the list', async () => {
    const ok = await createWebhook('/ok', ['chat']);
    const bad = await createWebhook('/bad', ['insight.topic']);
    const chat = await deliver('chat', ok.id);
    const topic = await deliver('insight.topic', bad.id);
    expect([chat.status, topic.status]).toEqual(['succeeded', 'failed']);
    await openDashboard();
    await expect.poll(listedIds, soon).toEqual(expect.arrayContaining([chat.id, topic.id]));

    await view().getByLabel('Status').selectOption('failed');
    await expect.poll(listedIds, soon).not.toContain(chat.id);
    expect(await listedIds()).toContain(topic.id);
    expect(new Set(await view().locator('tr.delivery .badge').allTextContents())).toEqual(
      new Set(['Failed']),
    );

    await view().getByLabel('Status').selectOption('');
    await view().getByLabel('Event type').selectOption('chat');
    await expect.poll(listedIds, soon).not.toContain(topic.id);
    expect(await listedIds()).toContain(chat.id);
    expect(new Set(await view().locator('tr.delivery .chip').allTextContents())).toEqual(new Set(['chat']));

    await view().getByLabel('Status').selectOption('failed');
    await expect.poll(listedIds, soon).not.toContain(chat.id);
    expect(await view().locator('tr.delivery .chip').allTextContents()).not.toContain('insight.topic');
  });

  it('pages back to the older deliveries and forward again', async () => {
    const webhook = await createWebhook('/ok', ['insight.key']);
    const first = await deliver('insight.key', webhook.id);
    for (let i = 0; i < 24; i++) await dashboard.client.events.trigger('insight.key');
    await openDashboard();
    await view().getByLabel('Event type').selectOption('insight.key');
    await expect.poll(() => view().locator('tr.delivery').count(), soon).toBe(20);
    expect(await listedIds()).not.toContain(first.id);
    expect(await view().getByRole('button', { name: 'Newer deliveries' }).isDisabled()).toBe(true);
    await dashboard.page.screenshot({ path: '/tmp/dashboard-deliveries.png', fullPage: true });

    await view().getByRole('button', { name: 'Older deliveries' }).click();
    await expect.poll(listedIds, soon).toContain(first.id);
    expect(await view().locator('tr.delivery').count()).toBe(5);
    expect(await view().locator('.page-label').textContent()).toBe('Page 2');
    expect(await view().getByRole('button', { name: 'Older deliveries' }).isDisabled()).toBe(true);

    await view().getByRole('button', { name: 'Newer deliveries' }).click();
    await expect.poll(() => view().locator('tr.delivery').count(), soon).toBe(20);
    expect(await listedIds()).not.toContain(first.id);
  });

  it("never puts the webhook's full secret in the page, with the detail and the edit form open", async () => {
    const webhook = await createWebhook('/bad', ['insight.conversation']);
    const delivery = await deliver('insight.conversation', webhook.id);
    await openDashboard();
    await openDetail(delivery);
    await expect.poll(() => detail().locator('pre.body').count(), soon).toBeGreaterThan(0);
    const page1 = await dashboard.page.evaluate(() => document.documentElement.outerHTML);
    expect(page1).toContain('webhook-signature');
    expect(page1).not.toContain(SECRET);
    expect(page1).not.toContain(SECRET.slice('whsec_'.length));
    await dashboard.page.getByRole('button', { name: 'Close' }).first().click();

    await dashboard.page
      .locator(`li[data-webhook-id="${webhook.id}"]`)
      .getByRole('button', { name: new RegExp(`^${webhook.name}`) })
      .click();
    await dashboard.page.getByRole('heading', { name: 'Edit Webhook' }).waitFor({ state: 'visible' });
    const withForm = await dashboard.page.evaluate(() => [
      document.documentElement.outerHTML,
      ...Array.from(
        document.querySelectorAll('input, textarea'),
        (input) => (input as HTMLInputElement).value,
      ),
    ]);
    for (const text of withForm) expect(text).not.toContain(SECRET.slice('whsec_'.length));
  });
});
