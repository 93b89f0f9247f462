import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret } from '@caleida/verify';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthStore } from '../src/health/health-store.js';
import type { OperationalEvent } from '../src/health/operational-events.js';
import { createWebhookHealth } from '../src/health/webhook-health.js';
import type { AttemptOutcome, ClaimedDelivery } from '../src/storage/delivery-store.js';
import { createDeliveryStore } from '../src/storage/delivery-store.js';
import { type Db, openDatabase } from '../src/storage/open-database.js';
import { createWebhookStore } from '../src/storage/webhook-store.js';

const DAY = 86_400_000;
const opened: Array<{ db: Db; cleanup(): void }> = [];
afterEach(() => {
  for (const { db, cleanup } of opened.splice(0)) {
    db.close();
    cleanup();
  }
});

/** A webhook's health on a real SQLite file, a clock the test moves, and the events it sent. */
function setup({ disableAfterFailingMs = 5 * DAY, disableAfterExhausted = 5 } = {}) {
  // Not helpers.ts's tempDir(): that module starts whole servers, this test needs only storage.
  const dir = mkdtempSync(join(tmpdir(), 'caleida-health-'));
  const db = openDatabase(join(dir, 'mock.db'));
  opened.push({ db, cleanup: () => rmSync(dir, { recursive: true, force: true }) });
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const webhooks = createWebhookStore(db);
  const deliveries = createDeliveryStore(db);
  const sent: OperationalEvent[] = [];
  const options = {
    store: createHealthStore(db),
    webhooks,
    operational: { send: (event: OperationalEvent) => void sent.push(event), close: async () => {} },
    disableAfterFailingMs,
    disableAfterExhausted,
    now: () => clock.now,
  };
  const health = createWebhookHealth(options);
  const watched = health.watch(webhooks);
  const webhook = webhooks.create({
    name: 'Orders',
    url: 'http://127.0.0.1:1/x',
    secret: generateSecret(),
    events: ['chat'],
  });
  let events = 0;
  /** One attempt of a new delivery, recorded as the engine would, ending `status` with `code`. */
  function attempt(code: number, status: AttemptOutcome['status']): ClaimedDelivery {
    const eventId = `evt_${++events}`;
    const [id] = deliveries.insertNew(eventId, 'chat', [webhook.id], 'in_flight', clock.now, clock.now);
    const delivery: ClaimedDelivery = {
      id: id as string,
      eventId,
      webhookId: webhook.id,
      eventType: 'chat',
      attemptCount: 0,
    };
    const outcome: AttemptOutcome = {
      deliveryId: delivery.id,
      status,
      nextAttemptAt: status === 'pending' ? clock.now + 1000 : null,
      attempt: {
        number: 1,
        startedAt: clock.now,
        durationMs: 1,
        statusCode: code,
        error: null,
        responseExcerpt: null,
        responseTruncated: false,
        requestHeaders: {},
        responseHeaders: {},
        firstByteMs: 1,
      },
    };
    // The engine tells health first; the recorder writes the attempt afterwards.
    health.attempted(webhooks.get(webhook.id) ?? webhook, delivery, outcome);
    deliveries.recordAttempts([outcome], clock.now);
    return delivery;
  }
  return { db, clock, webhooks, watched, deliveries, health, webhook, attempt, sent, options };
}

describe('createWebhookHealth()', () => {
  it('success_rate counts the latest 100 attempts', () => {
    const { health, webhook, attempt } = setup();
    expect(health.of(webhook)).toMatchObject({ success_rate: null, attempts: 0, failures: 0 });
    for (let i = 0; i < 30; i++) attempt(500, 'pending');
    for (let i = 0; i < 90; i++) attempt(200, 'succeeded');
    expect(health.of(webhook)).toMatchObject({
      success_rate: 0.9,
      attempts: 100,
      failures: 10,
      failing_since: null,
    });
  });

  it('disables a webhook whose deliveries all failed for 5 days with 5 exhausted, and says so', () => {
    const { health, webhooks, webhook, attempt, clock, sent } = setup();
    const start = clock.now;
    for (let i = 0; i < 5; i++) attempt(500, 'failed');
    expect(webhooks.get(webhook.id)?.status).toBe('active');
    clock.now = start + 5 * DAY - 1;
    attempt(500, 'failed');
    expect(webhooks.get(webhook.id)?.status).toBe('active');
    clock.now = start + 5 * DAY;
    const last = attempt(503, 'failed');
    expect(webhooks.get(webhook.id)).toMatchObject({ status: 'disabled', disabledReason: 'failing' });
    expect(health.of(webhooks.get(webhook.id) ?? webhook)).toMatchObject({
      failing_since: new Date(start).toISOString(),
      disabled_reason: 'failing',
    });
    expect(sent.filter((e) => e.type === 'delivery.exhausted')).toHaveLength(7);
    expect(sent.at(-2)).toMatchObject({
      type: 'delivery.exhausted',
      data: { delivery_id: last.id, attempts: 1, last_status_code: 503 },
    });
    expect(sent.at(-1)).toEqual({
      type: 'webhook.disabled',
      timestamp: new Date(clock.now).toISOString(),
      data: {
        webhook_id: webhook.id,
        webhook_name: 'Orders',
        url: webhook.url,
        reason: 'failing',
        failing_since: new Date(start).toISOString(),
        exhausted_deliveries: 7,
      },
    });
  });

  it('does not disable a webhook failing for 5 days with fewer than 5 exhausted deliveries', () => {
    const { webhooks, webhook, attempt, clock } = setup();
    attempt(500, 'pending');
    clock.now += 6 * DAY;
    for (let i = 0; i < 4; i++) attempt(500, 'failed');
    expect(webhooks.get(webhook.id)?.status).toBe('active');
  });

  it('any success resets the failing clock', () => {
    const { health, webhooks, webhook, attempt, clock } = setup({ disableAfterExhausted: 1 });
    attempt(500, 'failed');
    clock.now += 3 * DAY;
    attempt(200, 'succeeded');
    expect(health.of(webhook).failing_since).toBeNull();
    clock.now += 1;
    attempt(500, 'pending');
    clock.now += 3 * DAY;
    attempt(500, 'failed');
    expect(webhooks.get(webhook.id)?.status).toBe('active');
    expect(health.of(webhook).failing_since).toBe(new Date(clock.now - 3 * DAY).toISOString());
  });

  it('fails the pending deliveries of the webhook it disables, so recovering re-sends them', () => {
    const { webhook, attempt, clock, deliveries } = setup({
      disableAfterExhausted: 1,
      disableAfterFailingMs: 0,
    });
    const [waiting] = deliveries.insertNew(
      'evt_waiting',
      'chat',
      [webhook.id],
      'pending',
      clock.now + DAY,
      clock.now,
    );
    attempt(500, 'failed');
    expect(deliveries.get(waiting as string)).toMatchObject({ status: 'failed', nextAttemptAt: null });
  });

  it('enabling the webhook again clears the reason and starts its health afresh', () => {
    const { health, webhooks, watched, webhook, attempt, clock } = setup({
      disableAfterExhausted: 1,
      disableAfterFailingMs: 0,
    });
    attempt(500, 'failed');
    expect(webhooks.get(webhook.id)?.status).toBe('disabled');
    clock.now += 1000;
    const enabled = watched.update(webhook.id, { status: 'active' });
    expect(enabled).toMatchObject({ status: 'active', disabledReason: null });
    expect(health.of(enabled ?? webhook)).toMatchObject({
      attempts: 0,
      failing_since: null,
      disabled_reason: null,
    });
  });

  it('a new server reads the health of a webhook from the database', () => {
    const { health, webhook, attempt, clock, options } = setup();
    const start = clock.now;
    attempt(200, 'succeeded');
    clock.now += 1000;
    attempt(500, 'failed');
    clock.now += 1000;
    attempt(500, 'failed');
    const restarted = createWebhookHealth(options);
    expect(restarted.of(webhook)).toEqual(health.of(webhook));
    expect(restarted.of(webhook)).toMatchObject({
      success_rate: 1 / 3,
      attempts: 3,
      failures: 2,
      failing_since: new Date(start + 1000).toISOString(),
    });
  });
});
