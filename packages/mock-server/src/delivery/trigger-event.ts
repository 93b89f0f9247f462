import { type EventType, generateEventId } from '@caleida/verify';
import type { DeliveryRecord, DeliveryStore } from '../storage/delivery-store.js';
import type { EventRecord, EventStore } from '../storage/event-store.js';
import type { Db } from '../storage/open-database.js';
import type { WebhookStore } from '../storage/webhook-store.js';

/** What `triggerEvent()` needs. */
export interface TriggerDeps {
  db: Db;
  webhooks: WebhookStore;
  events: EventStore;
  deliveries: DeliveryStore;
}

/** One event to store and fan out. */
export interface TriggerInput {
  type: EventType;
  data: unknown;
  id?: string;
  timestamp?: string;
  /** Deliver to these webhooks only (a test event); default every active subscriber. */
  webhookIds?: readonly string[];
  /** Delay before the first attempt. */
  firstDelayMs: number;
}

/**
 * Stores an event and one pending delivery per target webhook in a single transaction, so nothing
 * is attempted that is not already on disk. Returns false when the event id is taken.
 */
export function triggerEvent(
  deps: TriggerDeps,
  input: TriggerInput,
): { event: EventRecord; deliveries: DeliveryRecord[] } | false {
  const now = Date.now();
  const id = input.id ?? generateEventId();
  const timestamp = input.timestamp ?? new Date(now).toISOString();
  const event: EventRecord = {
    id,
    type: input.type,
    timestamp,
    // Serialised once: every attempt sends these exact bytes.
    body: JSON.stringify({ type: input.type, timestamp, data: input.data }),
    createdAt: now,
  };
  const dueAt = now + input.firstDelayMs;
  return deps.db.transaction(() => {
    if (deps.events.body(id) !== undefined) return false as const;
    deps.events.insert(event);
    const targets = input.webhookIds ?? deps.webhooks.subscribers(input.type).map((webhook) => webhook.id);
    const ids = deps.deliveries.insertPending(id, input.type, targets, dueAt);
    const deliveries = ids.map(
      (deliveryId, index): DeliveryRecord => ({
        id: deliveryId,
        eventId: id,
        webhookId: targets[index] as string,
        eventType: input.type,
        status: 'pending',
        attemptCount: 0,
        nextAttemptAt: dueAt,
        createdAt: now,
        updatedAt: now,
        attempts: [],
      }),
    );
    return { event, deliveries };
  })();
}
