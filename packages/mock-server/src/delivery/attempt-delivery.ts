import { signHeaders } from '@caleida/verify';
import type { FastifyBaseLogger } from 'fastify';
import type { Dispatcher } from 'undici';
import type { AttemptOutcome, ClaimedDelivery, DeliveryStore } from '../storage/delivery-store.js';
import type { EventStore } from '../storage/event-store.js';
import { storageFailure } from '../storage/storage-failure.js';
import type { WebhookRecord, WebhookStore } from '../storage/webhook-store.js';
import { signingSecrets } from '../webhooks/signing-secrets.js';
import type { AttemptDeadlines } from './attempt-deadlines.js';
import { decideOutcome, type RetryPolicy } from './decide-outcome.js';
import type { ChaosOptions } from './delivery-engine.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import { type AttemptResult, sendAttempt } from './send-attempt.js';
import type { StorageHealth } from './storage-health.js';

/** Log levels at which an `info` line is not written. */
const QUIET_LEVELS = new Set(['silent', 'fatal', 'error', 'warn']);

/** Chaos `reorder` holds each attempt back a random 0 to this many ms. */
export const REORDER_WINDOW_MS = 250;

/** What `createAttemptDelivery()` needs. */
export interface AttemptDeliveryOptions {
  webhooks: WebhookStore;
  events: EventStore;
  deliveries: DeliveryStore;
  recorder: OutcomeRecorder;
  health: StorageHealth;
  dispatcher: Dispatcher;
  deadlines: AttemptDeadlines;
  policy: RetryPolicy;
  chaos: ChaosOptions;
  log: FastifyBaseLogger;
  /** True once the engine stops: an attempt ends without a result, its delivery stays in flight. */
  isStopped(): boolean;
  /** Called when the attempt is over, whatever became of it (frees its slot). */
  finished(delivery: ClaimedDelivery): void;
  /** Called with each attempt's outcome, before it is recorded. */
  onAttempted?(webhook: WebhookRecord, delivery: ClaimedDelivery, outcome: AttemptOutcome): void;
  /** Ends a delivery its webhook no longer takes; returns false to have it cancelled. */
  endForDisabled?(delivery: ClaimedDelivery, webhook: WebhookRecord | undefined): boolean;
}

/**
 * Makes the function that attempts one claimed delivery: reads its webhook at the last moment,
 * sends the freshly signed body, logs the attempt and hands the outcome to the recorder. Never
 * rejects: a failure of its own (a storage call) is logged, and the delivery stays in flight until
 * the engine reclaims it.
 */
export function createAttemptDelivery({
  webhooks,
  events,
  deliveries,
  recorder,
  health,
  dispatcher,
  deadlines,
  policy,
  chaos,
  log,
  isStopped,
  finished,
  onAttempted,
  endForDisabled,
}: AttemptDeliveryOptions): (delivery: ClaimedDelivery) => Promise<void> {
  const { random } = policy;
  return async function attemptDelivery(delivery) {
    try {
      const hold = (chaos.delayMs ?? 0) + (chaos.reorder ? random() * REORDER_WINDOW_MS : 0);
      if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
      if (isStopped()) return;
      // Read the webhook at the last moment: a delete or an edit made while this delivery waited
      // must apply to this very attempt.
      const webhook = webhooks.get(delivery.webhookId);
      const body = delivery.body ?? events.body(delivery.eventId);
      if (webhook?.status !== 'active' || !webhook.events.includes(delivery.eventType) || !body) {
        if (!endForDisabled?.(delivery, webhook)) deliveries.cancel(delivery.id, Date.now());
        return;
      }
      const number = delivery.attemptCount + 1;
      const startedAt = Date.now();
      const send = (): Promise<AttemptResult> =>
        sendAttempt({
          url: webhook.url,
          body,
          dispatcher,
          deadlines,
          headers: {
            ...signHeaders({
              secret: signingSecrets(webhook, startedAt),
              id: delivery.eventId,
              payload: body,
            }),
            'content-type': 'application/json',
            'user-agent': 'Caleida-Webhooks/1.0 (mock)',
          },
        });
      const result = await send();
      if (isStopped()) return;
      const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
      if (succeeded && chaos.duplicate && random() < chaos.duplicate) {
        log.info({ deliveryId: delivery.id }, 'chaos: sending a duplicate');
        await send();
      }
      // Checked first: the line's object would be built for nothing at a quieter level.
      if (!QUIET_LEVELS.has(log.level)) {
        log.info(
          {
            deliveryId: delivery.id,
            webhookId: webhook.id,
            eventId: delivery.eventId,
            attempt: number,
            statusCode: result.statusCode,
            error: result.error,
            durationMs: result.durationMs,
          },
          'delivery attempt',
        );
      }
      const outcome = decideOutcome(delivery, number, startedAt, result, policy);
      onAttempted?.(webhook, delivery, outcome);
      if (result.statusCode === 410) {
        // The receiver says the endpoint is gone for good: stop calling it at all.
        deliveries.recordAttempts([outcome], Date.now());
        webhooks.update(delivery.webhookId, {
          status: 'disabled',
          disabledReason: `The endpoint answered 410 Gone on ${new Date(startedAt).toISOString()}; fix it and set the status back to active.`,
        });
        deliveries.cancelForWebhook(delivery.webhookId, Date.now());
        return;
      }
      recorder.add(outcome);
    } catch (error) {
      // The delivery stays in flight; the engine's reclaim makes it due again once its lease ends.
      if (storageFailure(error)) health.failed(error, `attempting delivery ${delivery.id}`);
      else log.error({ deliveryId: delivery.id, err: error }, 'delivery attempt failed unexpectedly');
    } finally {
      finished(delivery);
    }
  };
}
