import type { LookupFunction } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { createThrottle, DEFAULT_THROTTLE, type ThrottleTimings } from '../health/throttle.js';
import type { AttemptOutcome, ClaimedDelivery, DeliveryStore } from '../storage/delivery-store.js';
import type { EventStore } from '../storage/event-store.js';
import type { GroupCommit } from '../storage/group-commit.js';
import type { WebhookRecord, WebhookStore } from '../storage/webhook-store.js';
import { createGuardedAgent } from '../webhooks/create-guarded-agent.js';
import { createAttemptDeadlines } from './attempt-deadlines.js';
import { createAttemptDelivery, REORDER_WINDOW_MS } from './attempt-delivery.js';
import { createOutcomeRecorder } from './outcome-recorder.js';
import { createReadyQueue } from './ready-queue.js';
import { createReclaimLeftInFlight } from './reclaim-left-in-flight.js';
import { createStorageHealth } from './storage-health.js';
import { DEFAULT_STORAGE_TIMINGS, type StorageTimings } from './storage-timings.js';

export { REORDER_WINDOW_MS };

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
  /** Writes attempt results on the writer thread instead (see `startSqliteWriter()`). */
  writeOutcomes?: (batch: readonly AttemptOutcome[], now: number) => Promise<void>;
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
  /** Storage retry waits, lease margin and reclaim interval; default `DEFAULT_STORAGE_TIMINGS`. */
  storageTimings?: StorageTimings;
  log: FastifyBaseLogger;
  random?: () => number;
  /** Pauses of the 502/504 throttle (see `createThrottle()`); default `DEFAULT_THROTTLE`. */
  throttle?: ThrottleTimings;
  /** Called with each attempt's outcome (endpoint health); must be O(1). */
  onAttempted?(webhook: WebhookRecord, delivery: ClaimedDelivery, outcome: AttemptOutcome): void;
  /** Called once outcomes are written, so a reader sees them (long-polls wake on it). */
  onRecorded?(): void;
  /** Ends a delivery whose webhook was disabled while it waited; default cancels it. */
  endForDisabled?(delivery: ClaimedDelivery, webhook: WebhookRecord | undefined): boolean;
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

const IDLE_POLL_MS = 100;
const MAX_TIMER_MS = 60_000;
/**
 * Claimed deliveries held in memory (running or queued) before new ones wait in the database as
 * pending. A few hundred bytes each (the body is shared by an event's deliveries), so this bounds
 * memory to a few MB, while a burst of triggers faster than the receivers stays off the slower
 * claim path.
 */
const MAX_HELD = 20_000;

/**
 * The delivery engine: takes new deliveries straight from the trigger (created claimed in the
 * event's transaction) and claims due ones from the database with a lease, attempts each (see
 * `createAttemptDelivery()`), and records what each attempt ended in (see `createOutcomeRecorder()`).
 * No storage failure escapes it: a failed claim or write is retried with growing waits, logged once
 * per outage, and deliveries it lost hold of are reclaimed once their lease ends (see
 * `createReclaimLeftInFlight()`).
 */
export function createDeliveryEngine(options: DeliveryEngineOptions): DeliveryEngine {
  const { webhooks, events, deliveries, retrySchedule, retryJitter, attemptTimeoutMs, chaos, log } = options;
  const { concurrency, perWebhookConcurrency } = options;
  const timings = options.storageTimings ?? DEFAULT_STORAGE_TIMINGS;
  const random = options.random ?? Math.random;
  const { allowPrivateNetwork, lookup } = options;
  const dispatcher = createGuardedAgent({ connections: concurrency, allowPrivateNetwork, lookup });
  const leaseMs =
    attemptTimeoutMs + (chaos.delayMs ?? 0) + (chaos.reorder ? REORDER_WINDOW_MS : 0) + timings.leaseMarginMs;
  const health = createStorageHealth({ log, retryMinMs: timings.retryMinMs, retryMaxMs: timings.retryMaxMs });
  const ready = createReadyQueue();
  const activeByWebhook = new Map<string, number>();
  const throttle = createThrottle({ ...(options.throttle ?? DEFAULT_THROTTLE), onReady: () => wake() });
  // Each running attempt and its delivery: stop() awaits them, reclaim leaves their rows alone.
  const running = new Map<Promise<void>, ClaimedDelivery>();
  const deadlines = createAttemptDeadlines(attemptTimeoutMs);
  const recorder = createOutcomeRecorder({
    deliveries,
    commit: options.commit,
    write: options.writeOutcomes,
    health,
    log,
    onWritten(batch) {
      options.onRecorded?.();
      if (!stopped && batch.some((outcome) => outcome.status === 'pending')) lookAgainLater(false);
    },
  });
  const attemptDelivery = createAttemptDelivery({
    webhooks,
    events,
    deliveries,
    recorder,
    health,
    dispatcher,
    deadlines,
    policy: { retrySchedule, retryJitter, random },
    chaos,
    log,
    isStopped: () => stopped,
    finished,
    onAttempted(webhook, delivery, outcome) {
      throttle.attempted(webhook.id, outcome.attempt.statusCode);
      options.onAttempted?.(webhook, delivery, outcome);
    },
    endForDisabled: options.endForDisabled,
  });
  const reclaimer = createReclaimLeftInFlight({ deliveries, health, log, heldIds, wake: () => wake() });
  let active = 0;
  let stopped = true;
  // Due work may be waiting in the database: until a claim finds it all, new deliveries queue
  // behind it there instead of overtaking it in memory.
  let backlog = true;
  // Rows a previous process left in flight are released by the first pump that can write.
  let releasePending = true;
  let pumpQueued = false;
  let timer: NodeJS.Timeout | undefined;
  let reclaimTimer: NodeJS.Timeout | undefined;

  const activeFor = (webhookId: string): number => activeByWebhook.get(webhookId) ?? 0;
  const canStart = (webhookId: string): boolean =>
    activeFor(webhookId) < perWebhookConcurrency && throttle.canStart(webhookId, activeFor(webhookId));
  /** Deliveries of a webhook the claim may take: its free slots, or what its throttle allows. */
  const capacity = (webhookId: string): number =>
    throttle.capacity(
      webhookId,
      perWebhookConcurrency - activeFor(webhookId),
      activeFor(webhookId) + ready.queuedFor(webhookId),
    );

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
      const work = attemptDelivery(next);
      running.set(work, next);
      void work.finally(() => running.delete(work));
    }
  }

  function pump(): void {
    pumpQueued = false;
    if (stopped) return;
    dispatch();
    try {
      if (releasePending) {
        reclaimer.releaseAtStart();
        releasePending = false;
      }
      const free = concurrency - active;
      if (free <= 0) {
        waitForSlot();
        return;
      }
      // After dispatch() anything still queued belongs to a webhook at its limit.
      const saturated = [...activeByWebhook].filter(([id]) => capacity(id) <= 0).map(([id]) => id);
      const now = Date.now();
      const { claimed, more } = deliveries.claimDue(now, now + leaseMs, free, capacity, saturated);
      // Only a write proves storage is back: reads go on while another connection holds the lock.
      if (claimed.length > 0) health.recovered();
      backlog = more || saturated.length > 0;
      for (const delivery of claimed) ready.push(delivery);
      dispatch();
      if (claimed.length < free) armTimer(claimed.length === 0);
    } catch (error) {
      retryPump(error, 'claiming due deliveries');
    }
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

  /**
   * Every slot is busy: work already due in the database (a retry that came due meanwhile) is
   * claimed when an attempt finishes, which `backlog` asks finished() to do; later work gets its
   * timer. No timer for due work, or a saturated engine would spin on it.
   */
  function waitForSlot(): void {
    clearTimeout(timer);
    const next = deliveries.nextDueAt();
    if (next === null) return;
    const wait = next - Date.now();
    if (wait <= 0) backlog = true;
    else timer = setTimeout(wake, Math.min(wait, MAX_TIMER_MS));
  }

  /** armTimer() outside pump(): a failed read there must not escape either. */
  function lookAgainLater(claimedNothing: boolean): void {
    try {
      armTimer(claimedNothing);
    } catch (error) {
      retryPump(error, 'reading when the next delivery is due');
    }
  }

  function retryPump(error: unknown, doing: string): void {
    const wait = health.failed(error, doing);
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(wake, wait);
  }

  /** Every delivery this engine holds: its rows are in flight in the database and must stay so. */
  function heldIds(): string[] {
    const held: string[] = [];
    ready.collectIds(held);
    for (const delivery of running.values()) held.push(delivery.id);
    recorder.collectHeld(held);
    return held;
  }

  function finished(delivery: ClaimedDelivery): void {
    active--;
    const left = activeFor(delivery.webhookId) - 1;
    if (left === 0) activeByWebhook.delete(delivery.webhookId);
    else activeByWebhook.set(delivery.webhookId, left);
    dispatch();
    if (backlog && active < concurrency) wake();
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
      stopped = false;
      backlog = true;
      releasePending = true;
      reclaimTimer = setInterval(() => {
        if (!stopped) reclaimer.reclaimExpired();
      }, timings.reclaimIntervalMs);
      pump();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(reclaimTimer);
      throttle.close();
      deadlines.abortAll(new Error('aborted: the mock server is shutting down'));
      await Promise.allSettled([...running.keys()]);
      await recorder.close();
      await dispatcher.destroy();
    },
  };
}
