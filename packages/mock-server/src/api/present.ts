import type { HealthSnapshot, WebhookHealth } from '../health/webhook-health.js';
import type { DeliveryRecord } from '../storage/delivery-store.js';
import type { EventRecord } from '../storage/event-store.js';
import type { WebhookRecord } from '../storage/webhook-store.js';
import { maskSecret } from '../webhooks/mask-secret.js';
import { previousSecretExpiry } from '../webhooks/rotate-secret.js';

let lastMs = Number.NaN;
let lastIso = '';
/** The ISO form of a time; the times an answer shows are mostly the same millisecond, formatted once. */
const iso = (ms: number): string => {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
};

/** A webhook as the API shows it: the secret only as a masked hint; `health` from `health` when given. */
export function presentWebhook(webhook: WebhookRecord, health?: WebhookHealth) {
  return {
    id: webhook.id,
    name: webhook.name,
    url: webhook.url,
    events: webhook.events,
    status: webhook.status,
    disabled_reason: webhook.disabledReason,
    secret_hint: maskSecret(webhook.secret),
    secret_rotation: presentSecretRotation(webhook),
    created_at: iso(webhook.createdAt),
    updated_at: iso(webhook.updatedAt),
    health: health?.of(webhook) ?? noHealth(webhook),
  };
}

/** The health of a webhook nothing tracks (an app built without a health tracker). */
const noHealth = (webhook: WebhookRecord): HealthSnapshot => ({
  success_rate: null,
  attempts: 0,
  failures: 0,
  failing_since: null,
  disabled_reason: webhook.disabledReason,
});

/** The rotation in progress: a hint of the previous secret and when it stops signing; else null. */
function presentSecretRotation(webhook: WebhookRecord) {
  const expiresAt = previousSecretExpiry(webhook, Date.now());
  if (expiresAt === null || webhook.previousSecret === null) return null;
  return {
    previous_secret_hint: maskSecret(webhook.previousSecret),
    previous_secret_expires_at: new Date(expiresAt).toISOString(),
  };
}

/** An event as the API shows it. */
export function presentEvent(event: EventRecord) {
  return presentEventWithData(event, (JSON.parse(event.body) as { data: Record<string, unknown> }).data);
}

/**
 * `presentEvent()` for a caller that holds the event's data (what its body was serialised from),
 * which saves parsing the body back.
 */
export function presentEventWithData(event: EventRecord, data: Record<string, unknown>) {
  return {
    id: event.id,
    type: event.type,
    timestamp: event.timestamp,
    data,
    created_at: iso(event.createdAt),
  };
}

/** A delivery with its attempts as the API shows it. */
export function presentDelivery(delivery: DeliveryRecord) {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    webhook_id: delivery.webhookId,
    event_type: delivery.eventType,
    status: delivery.status,
    attempt_count: delivery.attemptCount,
    next_attempt_at:
      delivery.status === 'pending' && delivery.nextAttemptAt !== null ? iso(delivery.nextAttemptAt) : null,
    created_at: iso(delivery.createdAt),
    updated_at: iso(delivery.updatedAt),
    attempts: delivery.attempts.map((attempt) => ({
      number: attempt.number,
      started_at: iso(attempt.startedAt),
      duration_ms: attempt.durationMs,
      status_code: attempt.statusCode,
      error: attempt.error,
      response_excerpt: attempt.responseExcerpt,
    })),
  };
}
