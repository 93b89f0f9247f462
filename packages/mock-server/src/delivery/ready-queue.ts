import type { ClaimedDelivery } from '../storage/delivery-store.js';

/** Claimed deliveries waiting in memory for a free slot. */
export interface ReadyQueue {
  /** How many wait, over all webhooks. */
  readonly size: number;
  /** How many wait for one webhook. */
  queuedFor(webhookId: string): number;
  push(delivery: ClaimedDelivery): void;
  /**
   * The next delivery whose webhook `canStart()` another attempt: first in, first out per webhook,
   * webhooks taken in turn so a busy one does not hold up the rest.
   */
  take(canStart: (webhookId: string) => boolean): ClaimedDelivery | undefined;
  /** Pushes into `into` the id of every delivery waiting. */
  collectIds(into: string[]): void;
}

/**
 * Makes an empty ready queue.
 *
 * @example
 * const ready = createReadyQueue();
 * ready.push(claimed);
 * const next = ready.take((webhookId) => active(webhookId) < 16);
 */
export function createReadyQueue(): ReadyQueue {
  // Map order is the round-robin order: a webhook served goes to the back.
  const byWebhook = new Map<string, ClaimedDelivery[]>();
  let size = 0;
  return {
    get size() {
      return size;
    },
    queuedFor: (webhookId) => byWebhook.get(webhookId)?.length ?? 0,
    push(delivery) {
      const queue = byWebhook.get(delivery.webhookId);
      if (queue) queue.push(delivery);
      else byWebhook.set(delivery.webhookId, [delivery]);
      size++;
    },
    take(canStart) {
      for (const [webhookId, queue] of byWebhook) {
        if (!canStart(webhookId)) continue;
        const next = queue.shift() as ClaimedDelivery;
        byWebhook.delete(webhookId);
        if (queue.length > 0) byWebhook.set(webhookId, queue);
        size--;
        return next;
      }
      return undefined;
    },
    collectIds(into) {
      for (const queue of byWebhook.values()) for (const delivery of queue) into.push(delivery.id);
    },
  };
}
