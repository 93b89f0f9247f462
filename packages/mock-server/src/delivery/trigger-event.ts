import type { EventType } from '@caleida/verify';
import type { DeliveryRecord, DeliveryStore } from '../storage/delivery-store.js';
import type { EventRecord, EventStore } from '../storage/event-store.js';
import { groupCommit } from '../storage/group-commit.js';
import type { Db } from '../storage/open-database.js';
import { storageFailure } from '../storage/storage-failure.js';
import { StorageUnavailableError } from '../storage/storage-unavailable-error.js';
import { timeOrderedId } from '../storage/time-ordered-id.js';
import type { WebhookStore } from '../storage/webhook-store.js';
import type { TriggerRows } from '../writer/start-sqlite-writer.js';
import { storageWriterOf } from '../writer/storage-writer-of.js';
import type { DeliveryEngine } from './delivery-engine.js';
import { DEFAULT_STORAGE_TIMINGS } from './storage-timings.js';

/** What `triggerEvent()` needs. */
export interface TriggerDeps {
  db: Db;
  webhooks: WebhookStore;
  events: EventStore;
  deliveries: DeliveryStore;
  /** When given, deliveries due at once are created claimed and handed to it after the commit. */
  engine?: Pick<DeliveryEngine, 'leaseForNew' | 'adopt'>;
  /** How long `triggerEventGrouped()` retries a locked database. Default 1,000 ms. */
  triggerRetryMs?: number;
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

/** An event stored with its deliveries. */
export interface TriggerResult {
  event: EventRecord;
  deliveries: DeliveryRecord[];
}

/**
 * Stores an event and one delivery per target webhook in a single transaction, so nothing is
 * attempted that is not already on disk. Deliveries due at once are created already claimed (with a
 * lease, so a crash makes them due again on restart) and handed to the engine after the commit,
 * which saves a claim commit per delivery; the rest are created pending. Returns false when the
 * event id is taken.
 */
export function triggerEvent(deps: TriggerDeps, input: TriggerInput): TriggerResult | false {
  const created = deps.db.transaction(() => storeEvent(deps, input))();
  if (created) handOver(deps, created);
  return created;
}

/**
 * `triggerEvent()` sharing its commit with every other write of the same event-loop turn (see
 * `groupCommit()`): resolves once the event and its deliveries are committed, so many concurrent
 * triggers cost one commit. A database locked by another connection is tried again for up to
 * `deps.triggerRetryMs`; then, or when storage fails otherwise, it rejects with
 * `StorageUnavailableError` and nothing of the event is stored.
 */
export async function triggerEventGrouped(
  deps: TriggerDeps,
  input: TriggerInput,
): Promise<TriggerResult | false> {
  const giveUpAt = Date.now() + (deps.triggerRetryMs ?? DEFAULT_STORAGE_TIMINGS.triggerRetryMs);
  for (let wait = FIRST_RETRY_MS; ; wait = Math.min(wait * 2, MAX_RETRY_MS)) {
    try {
      const created = await storeGrouped(deps, input);
      if (created) handOver(deps, created);
      return created;
    } catch (error) {
      const failure = storageFailure(error);
      if (failure === undefined) throw error;
      const left = giveUpAt - Date.now();
      if (failure === 'broken' || left <= 0) throw new StorageUnavailableError(failure, error);
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, left)));
    }
  }
}

/** One try of `triggerEventGrouped()`: on the writer thread when the database has one. */
async function storeGrouped(deps: TriggerDeps, input: TriggerInput): Promise<TriggerResult | false> {
  const writer = storageWriterOf(deps.db);
  if (!writer) return groupCommit(deps.db)(() => storeEvent(deps, input));
  const rows = buildRows(deps, input);
  // The thread inserts the event only when its id is free, in the same transaction as its deliveries.
  if (!(await writer.insertTrigger(rows))) return false;
  return result(rows);
}

const FIRST_RETRY_MS = 10;
const MAX_RETRY_MS = 200;

/** The writes of a trigger; runs inside the caller's transaction. */
function storeEvent(deps: TriggerDeps, input: TriggerInput): TriggerResult | false {
  // Only an id the caller chose can be taken: ids made here start with the time, so none repeats.
  if (input.id !== undefined && deps.events.body(input.id) !== undefined) return false;
  const rows = buildRows(deps, input);
  const { event, status, nextAttemptAt, webhookIds, deliveryIds } = rows;
  deps.events.insert(event);
  deps.deliveries.insertNew(
    event.id,
    event.type,
    webhookIds,
    status,
    nextAttemptAt,
    event.createdAt,
    deliveryIds,
  );
  return result(rows);
}

/** The rows of a trigger: its event and one delivery per target webhook. */
function buildRows(deps: TriggerDeps, input: TriggerInput): TriggerRows {
  const now = Date.now();
  // The format of `generateEventId()` (evt_ and 24 base62 characters), time-ordered: random ids
  // would each dirty a page of their own in the events and deliveries-by-event indexes.
  const id = input.id ?? timeOrderedId('evt', 24);
  const timestamp = input.timestamp ?? new Date(now).toISOString();
  const event: EventRecord = {
    id,
    type: input.type,
    timestamp,
    // Serialised once: every attempt sends these exact bytes.
    body: JSON.stringify({ type: input.type, timestamp, data: input.data }),
    createdAt: now,
  };
  const webhookIds = input.webhookIds ?? deps.webhooks.subscribers(input.type).map((webhook) => webhook.id);
  const lease = input.firstDelayMs <= 0 ? (deps.engine?.leaseForNew(webhookIds.length, now) ?? null) : null;
  return {
    event,
    status: lease === null ? 'pending' : 'in_flight',
    nextAttemptAt: lease ?? now + input.firstDelayMs,
    webhookIds,
    deliveryIds: webhookIds.map(() => timeOrderedId('dlv')),
  };
}

/** What a stored trigger answers with. */
function result({ event, status, nextAttemptAt, webhookIds, deliveryIds }: TriggerRows): TriggerResult {
  const deliveries = deliveryIds.map(
    (deliveryId, index): DeliveryRecord => ({
      id: deliveryId,
      eventId: event.id,
      webhookId: webhookIds[index] as string,
      eventType: event.type,
      status,
      attemptCount: 0,
      nextAttemptAt,
      createdAt: event.createdAt,
      updatedAt: event.createdAt,
      attempts: [],
    }),
  );
  return { event, deliveries };
}

/** Gives deliveries created claimed to the engine; only once their commit is done. */
function handOver(deps: TriggerDeps, { event, deliveries }: TriggerResult): void {
  if (deliveries[0]?.status !== 'in_flight') return;
  deps.engine?.adopt(
    deliveries.map((delivery) => ({
      id: delivery.id,
      eventId: event.id,
      webhookId: delivery.webhookId,
      eventType: event.type,
      attemptCount: 0,
      body: event.body,
    })),
  );
}
