import type { LookupFunction } from 'node:net';
import { signHeaders } from '@caleida/verify';
import type { FastifyBaseLogger } from 'fastify';
import type { AttemptOutcome, ClaimedDelivery, DeliveryStore } from '../storage/delivery-store.js';
import type { EventStore } from '../storage/event-store.js';
import type { GroupCommit } from '../storage/group-commit.js';
import type { WebhookStore } from '../storage/webhook-store.js';
import { createGuardedAgent } from '../webhooks/create-guarded-agent.js';
import { createAttemptDeadlines } from './attempt-deadlines.js';
import { decideOutcome } from './decide-outcome.js';
import { createReadyQueue } from './ready-queue.js';
import { type AttemptResult, sendAttempt } from './send-attempt.js';

/** Fault injection for testing receivers; everything off by default. */
export interface ChaosOptions {
  /** Share of successful deliveries sent a second time, 0 to 1. */
  duplicate?: number;
  /** Hold each attempt back a random 0 to 250 ms, so deliveries arrive out of order. */
  reorder?: boolean;
  /** Wait this long before every attempt. */
  delayMs?: number;
}

/** What the engine needs to run. */
export interface DeliveryEngineOptions {
  webhooks: WebhookStore;
  events: EventStore;
  deliveries: DeliveryStore;
  /** Writes attempt results in the commit of their event-loop turn; default a commit of their own. */
  commit?: GroupCommit;
  retrySchedule: readonly number[];
  retryJitter: number;
  attemptTimeoutMs: number;
  concurrency: number;
  perWebhookConcurrency: number;
  chaos: ChaosOptions;
  /** Deliver to private-network addresses too (see `createGuardedAgent()`). Default false. */
  allowPrivateNetwork?: boolean;
  /** Resolves webhook host names; default `dns.lookup`. */
  lookup?: LookupFunction;
  log: FastifyBaseLogger;
  random?: () => number;
}

/** Runs attempts for due deliveries until stopped. */
export interface DeliveryEngine {
  /** Looks for due work in the database now (after a retry, an edit, a delayed event). */
  wake(): void;
  /**
   * The lease to create `count` new deliveries with, already claimed, for `adopt()`; null when they
   * should be created pending instead (engine stopped, too many held in memory, or older due work
   * waiting in the database that they must not overtake).
   */
  leaseForNew(count: number, now: number): number | null;
  /** Takes deliveries created claimed with `leaseForNew()`'s lease; call once their transaction committed. */
  adopt(deliveries: readonly ClaimedDelivery[]): void;
  /** Starts working: first makes deliveries a dead process left in flight due again. */
  start(): void;
  /** Stops claiming, aborts running attempts (they stay in flight and are redone on the next start). */
  stop(): Promise<void>;
}

export const REORDER_WINDOW_MS = 250;
const IDLE_POLL_MS = 100;
const MAX_TIMER_MS = 60_000;
const LEASE_MARGIN_MS = 30_000;
/**
 * Claimed deliveries held in memory (running or queued) before new ones wait in the database as
 * pending. A few hundred bytes each (the body is shared by an event's deliveries), so this bounds
 * memory to a few MB, while a burst of triggers faster than the receivers stays off the slower
 * claim path.
 */
const MAX_HELD = 20_000;

/**
 * The delivery engine: takes new deliveries straight from the trigger (created claimed in the
 * event's transaction) and claims due ones from the database with a lease, sends each as a freshly
 * signed POST, and records the attempt and what comes next (success, retry later, or failure).
 */
export function createDeliveryEngine(options: DeliveryEngineOptions): DeliveryEngine {
  const { webhooks, events, deliveries, retrySchedule, retryJitter, attemptTimeoutMs, chaos, log } = options;
  const { concurrency, perWebhookConcurrency } = options;
  const random = options.random ?? Math.random;
  const policy = { retrySchedule, retryJitter, random };
  const { allowPrivateNetwork, lookup } = options;
  const dispatcher = createGuardedAgent({ connections: concurrency, allowPrivateNetwork, lookup });
  const leaseMs =
    attemptTimeoutMs + (chaos.delayMs ?? 0) + (chaos.reorder ? REORDER_WINDOW_MS : 0) + LEASE_MARGIN_MS;
  const ready = createReadyQueue();
  const activeByWebhook = new Map<string, number>();
  const running = new Set<Promise<void>>();
  const deadlines = createAttemptDeadlines(attemptTimeoutMs);
  let outcomes: AttemptOutcome[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let active = 0;
  let stopped = true;
  // Due work may be waiting in the database: until a claim finds it all, new deliveries queue
  // behind it there instead of overtaking it in memory.
  let backlog = true;
  let pumpQueued = false;
  let flushQueued = false;
  let timer: NodeJS.Timeout | undefined;

  const activeFor = (webhookId: string): number => activeByWebhook.get(webhookId) ?? 0;
  const canStart = (webhookId: string): boolean => activeFor(webhookId) < perWebhookConcurrency;

  const wake = (): void => {
    if (stopped || pumpQueued) return;
    pumpQueued = true;
    setImmediate(pump);
  };

  /** Starts queued deliveries while there are free slots, overall and for their webhook. */
  function dispatch(): void {
    while (!stopped && active < concurrency) {
      const next = ready.take(canStart);
      if (!next) return;
      active++;
      activeByWebhook.set(next.webhookId, activeFor(next.webhookId) + 1);
      track(attempt(next));
    }
  }

  function pump(): void {
    pumpQueued = false;
    if (stopped) return;
    dispatch();
    const free = concurrency - active;
    if (free <= 0) return;
    // After dispatch() anything still queued belongs to a webhook at its limit.
    const saturated = [...activeByWebhook].filter(([, n]) => n >= perWebhookConcurrency).map(([id]) => id);
    const now = Date.now();
    const { claimed, more } = deliveries.claimDue(
      now,
      now + leaseMs,
      free,
      (webhookId) => perWebhookConcurrency - activeFor(webhookId),
      saturated,
    );
    backlog = more || saturated.length > 0;
    for (const delivery of claimed) ready.push(delivery);
    dispatch();
    if (claimed.length < free) armTimer(claimed.length === 0);
  }

  function armTimer(claimedNothing: boolean): void {
    clearTimeout(timer);
    const next = deliveries.nextDueAt();
    if (next === null) return;
    let wait = next - Date.now();
    // Due work that could not be claimed waits for a busy webhook; its completions wake us sooner.
    if (claimedNothing && wait <= 0) wait = IDLE_POLL_MS;
    timer = setTimeout(wake, Math.min(Math.max(wait, 0), MAX_TIMER_MS));
  }

  function track(work: Promise<void>): void {
    running.add(work);
    void work.finally(() => running.delete(work));
  }

  async function attempt(delivery: ClaimedDelivery): Promise<void> {
    try {
      const hold = (chaos.delayMs ?? 0) + (chaos.reorder ? random() * REORDER_WINDOW_MS : 0);
      if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
      if (stopped) return;
      // Read the webhook at the last moment: a delete or an edit made while this delivery waited
      // must apply to this very attempt.
      const webhook = webhooks.get(delivery.webhookId);
      const body = delivery.body ?? events.body(delivery.eventId);
      if (webhook?.status !== 'active' || !webhook.events.includes(delivery.eventType) || !body) {
        deliveries.cancel(delivery.id, Date.now());
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
            ...signHeaders({ secret: webhook.secret, id: delivery.eventId, payload: body }),
            'content-type': 'application/json',
            'user-agent': 'Caleida-Webhooks/1.0 (mock)',
          },
        });
      const result = await send();
      if (stopped) return;
      const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
      if (succeeded && chaos.duplicate && random() < chaos.duplicate) {
        log.info({ deliveryId: delivery.id }, 'chaos: sending a duplicate');
        await send();
      }
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
      const outcome = decideOutcome(delivery, number, startedAt, result, policy);
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
      outcomes.push(outcome);
      if (!flushQueued) {
        flushQueued = true;
        setImmediate(flush);
      }
    } catch (error) {
      log.error({ deliveryId: delivery.id, err: error }, 'delivery attempt failed unexpectedly');
    } finally {
      active--;
      const left = activeFor(delivery.webhookId) - 1;
      if (left === 0) activeByWebhook.delete(delivery.webhookId);
      else activeByWebhook.set(delivery.webhookId, left);
      dispatch();
      if (backlog && active < concurrency) wake();
    }
  }

  function flush(): Promise<void> {
    flushQueued = false;
    if (outcomes.length === 0) return flushing;
    const batch = outcomes;
    outcomes = [];
    const write = (): void => deliveries.recordAttempts(batch, Date.now());
    flushing = (options.commit ? options.commit(write) : Promise.resolve(write())).then(
      () => {
        if (!stopped && batch.some((outcome) => outcome.status === 'pending')) armTimer(false);
      },
      (error: unknown) => log.error({ err: error }, 'could not record delivery attempts'),
    );
    return flushing;
  }

  return {
    wake,
    leaseForNew(count, now) {
      if (stopped || backlog || active + ready.size + count > MAX_HELD) {
        backlog = !stopped;
        return null;
      }
      return now + leaseMs;
    },
    adopt(claimed) {
      for (const delivery of claimed) ready.push(delivery);
      dispatch();
    },
    start() {
      const released = deliveries.releaseInFlight(Date.now());
      if (released > 0) log.info({ released }, 'deliveries left in flight by a previous run are due again');
      stopped = false;
      backlog = true;
      wake();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      deadlines.abortAll(new Error('aborted: the mock server is shutting down'));
      await Promise.allSettled([...running]);
      await flush();
      await dispatcher.destroy();
    },
  };
}
