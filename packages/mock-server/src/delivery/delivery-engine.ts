import http from 'node:http';
import https from 'node:https';
import { signHeaders } from '@caleida/verify';
import type { FastifyBaseLogger } from 'fastify';
import type { AttemptOutcome, ClaimedDelivery, DeliveryStore } from '../storage/delivery-store.js';
import type { EventStore } from '../storage/event-store.js';
import type { WebhookStore } from '../storage/webhook-store.js';
import { delayBeforeAttempt } from './retry-schedule.js';
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
  retrySchedule: readonly number[];
  retryJitter: number;
  attemptTimeoutMs: number;
  concurrency: number;
  perWebhookConcurrency: number;
  chaos: ChaosOptions;
  log: FastifyBaseLogger;
  random?: () => number;
}

/** Runs attempts for due deliveries until stopped. */
export interface DeliveryEngine {
  /** Looks for due work now (after an event, a retry, an edit). */
  wake(): void;
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
 * The delivery engine: claims due deliveries with a lease, sends each as a freshly signed POST,
 * and records the attempt and what comes next (success, retry at a later time, or failure).
 */
export function createDeliveryEngine(options: DeliveryEngineOptions): DeliveryEngine {
  const { webhooks, events, deliveries, retrySchedule, retryJitter, attemptTimeoutMs, chaos, log } = options;
  const random = options.random ?? Math.random;
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: options.concurrency }),
    https: new https.Agent({ keepAlive: true, maxSockets: options.concurrency }),
  };
  const leaseMs =
    attemptTimeoutMs + (chaos.delayMs ?? 0) + (chaos.reorder ? REORDER_WINDOW_MS : 0) + LEASE_MARGIN_MS;
  const activeByWebhook = new Map<string, number>();
  const running = new Set<Promise<void>>();
  const requests = new Set<http.ClientRequest>();
  let outcomes: AttemptOutcome[] = [];
  let active = 0;
  let stopped = true;
  let pumpQueued = false;
  let flushQueued = false;
  let timer: NodeJS.Timeout | undefined;

  const wake = (): void => {
    if (stopped || pumpQueued) return;
    pumpQueued = true;
    setImmediate(pump);
  };

  function pump(): void {
    pumpQueued = false;
    if (stopped) return;
    const free = options.concurrency - active;
    if (free <= 0) return;
    const now = Date.now();
    const saturated = [...activeByWebhook].filter(([, n]) => n >= options.perWebhookConcurrency);
    const claimed = deliveries.claimDue(
      now,
      now + leaseMs,
      free,
      (webhookId) => options.perWebhookConcurrency - (activeByWebhook.get(webhookId) ?? 0),
      saturated.map(([id]) => id),
    );
    for (const delivery of claimed) track(attempt(delivery));
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
    active++;
    activeByWebhook.set(delivery.webhookId, (activeByWebhook.get(delivery.webhookId) ?? 0) + 1);
    try {
      const hold = (chaos.delayMs ?? 0) + (chaos.reorder ? random() * REORDER_WINDOW_MS : 0);
      if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
      if (stopped) return;
      // Read the webhook at the last moment: a delete or an edit made while this delivery waited
      // must apply to this very attempt.
      const webhook = webhooks.get(delivery.webhookId);
      const body = events.body(delivery.eventId);
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
          timeoutMs: attemptTimeoutMs,
          agents,
          inFlight: requests,
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
      const outcome = decide(delivery, number, startedAt, result);
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
      const left = (activeByWebhook.get(delivery.webhookId) ?? 1) - 1;
      if (left === 0) activeByWebhook.delete(delivery.webhookId);
      else activeByWebhook.set(delivery.webhookId, left);
      wake();
    }
  }

  function decide(
    delivery: ClaimedDelivery,
    number: number,
    startedAt: number,
    result: AttemptResult,
  ): AttemptOutcome {
    const attempt = {
      number,
      startedAt,
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      error: result.error,
      responseExcerpt: result.responseExcerpt,
    };
    const base = { deliveryId: delivery.id, attempt };
    const code = result.statusCode;
    if (code !== null && code >= 200 && code < 300)
      return { ...base, status: 'succeeded', nextAttemptAt: null };
    if (code === 410) return { ...base, status: 'failed', nextAttemptAt: null };
    const scheduled = delayBeforeAttempt(retrySchedule, number + 1, retryJitter, random);
    if (scheduled === null) return { ...base, status: 'failed', nextAttemptAt: null };
    const honoured =
      (code === 429 || code === 503) && result.retryAfterMs !== null ? result.retryAfterMs : scheduled;
    return { ...base, status: 'pending', nextAttemptAt: Date.now() + honoured };
  }

  function flush(): void {
    flushQueued = false;
    if (outcomes.length === 0) return;
    const batch = outcomes;
    outcomes = [];
    deliveries.recordAttempts(batch, Date.now());
    if (batch.some((outcome) => outcome.status === 'pending')) armTimer(false);
  }

  return {
    wake,
    start() {
      const released = deliveries.releaseInFlight(Date.now());
      if (released > 0) log.info({ released }, 'deliveries left in flight by a previous run are due again');
      stopped = false;
      wake();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      for (const request of requests) request.destroy(new Error('aborted: the mock server is shutting down'));
      await Promise.allSettled([...running]);
      flush();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
