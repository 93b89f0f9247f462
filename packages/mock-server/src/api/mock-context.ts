import type { EventEmitter } from 'node:events';
import type { DeliveryEngine } from '../delivery/delivery-engine.js';
import type { WebhookHealth } from '../health/webhook-health.js';
import type { DeliveryStore } from '../storage/delivery-store.js';
import type { EventStore } from '../storage/event-store.js';
import type { Db } from '../storage/open-database.js';
import type { WebhookStore } from '../storage/webhook-store.js';

/** Everything the routes share: the stores, the engine and the settings they depend on. */
export interface MockContext {
  db: Db;
  webhooks: WebhookStore;
  events: EventStore;
  deliveries: DeliveryStore;
  /** Each webhook's success rate and failing clock; absent, webhooks are shown without `health`. */
  health?: WebhookHealth;
  engine: DeliveryEngine;
  /** Emits `change` whenever delivery statuses were written; long-polls listen to it. */
  deliveryChanges?: EventEmitter;
  apiKey: string;
  allowHttp: boolean;
  /** Accept webhook URLs on private-network addresses. */
  allowPrivateNetwork: boolean;
  /** How long a request may take to arrive whole before it gets 408. */
  requestTimeoutMs: number;
  /** How long a trigger retries a locked database before answering 503. */
  triggerRetryMs: number;
  /** Milliseconds before a new delivery's first attempt (the schedule's first entry, jittered). */
  firstDelayMs: () => number;
}
