import type { FastifyBaseLogger } from 'fastify';
import type { AttemptOutcome, DeliveryStore } from '../storage/delivery-store.js';
import type { GroupCommit } from '../storage/group-commit.js';
import type { StorageHealth } from './storage-health.js';

/** Writes attempt outcomes, and keeps them until they are written. */
export interface OutcomeRecorder {
  /** Queues an outcome; it is written with the others that end within `OUTCOME_BATCH_MS`. */
  add(outcome: AttemptOutcome): void;
  /** Pushes into `into` the ids of deliveries whose outcome is not written yet. */
  collectHeld(into: string[]): void;
  /** Writes what is queued, once; what still fails stays in flight in the database for the next start. */
  close(): Promise<void>;
}

/**
 * How long the first outcome of a batch waits for others to share its commit. A commit costs about
 * the same for one outcome as for fifty (it writes every page the batch dirtied), and a delivery
 * whose outcome is not written yet stays in flight, so nothing is lost by the wait: at worst a crash
 * in it sends those deliveries once more.
 */
export const OUTCOME_BATCH_MS = 10;

/** What `createOutcomeRecorder()` needs. */
export interface OutcomeRecorderOptions {
  deliveries: Pick<DeliveryStore, 'recordAttempts'>;
  /** Writes in the commit of their event-loop turn; default a transaction of their own. */
  commit?: GroupCommit;
  /** Writes a batch elsewhere (the writer thread) instead of `deliveries`; resolves once committed. */
  write?: (batch: readonly AttemptOutcome[], now: number) => Promise<void>;
  health: StorageHealth;
  log: FastifyBaseLogger;
  /** Called with each batch once it is committed. */
  onWritten(batch: readonly AttemptOutcome[]): void;
}

/**
 * Makes the engine's outcome recorder: the outcomes that end within `OUTCOME_BATCH_MS` of each
 * other are written in one transaction; when the write fails (the database locked by another connection, a full disk) they
 * stay in memory and the write is tried again, waiting longer each time (see `StorageHealth`), so a
 * delivery is never left in flight without its result.
 */
export function createOutcomeRecorder({
  deliveries,
  commit,
  write: writeElsewhere,
  health,
  log,
  onWritten,
}: OutcomeRecorderOptions): OutcomeRecorder {
  let queued: AttemptOutcome[] = [];
  const writing = new Map<readonly AttemptOutcome[], Promise<void>>();
  let flushTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  function flush(): void {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (queued.length === 0) return;
    const batch = queued;
    queued = [];
    const write = (): void => deliveries.recordAttempts(batch, Date.now());
    const written = writeElsewhere
      ? writeElsewhere(batch, Date.now())
      : commit
        ? commit(write)
        : new Promise<void>((resolve) => resolve(write()));
    const done = written
      .then(
        () => {
          health.recovered();
          onWritten(batch);
        },
        (error: unknown) => {
          // Back to the front: written in the order the attempts ended.
          queued = batch.concat(queued);
          const wait = health.failed(error, 'recording delivery attempts');
          if (!closed && retryTimer === undefined) retryTimer = setTimeout(retry, wait);
        },
      )
      .finally(() => writing.delete(batch));
    writing.set(batch, done);
  }

  function retry(): void {
    retryTimer = undefined;
    flush();
  }

  return {
    add(outcome) {
      queued.push(outcome);
      // While a retry is scheduled, new outcomes wait for it rather than failing on their own.
      if (flushTimer !== undefined || retryTimer !== undefined || closed) return;
      flushTimer = setTimeout(flush, OUTCOME_BATCH_MS);
    },
    collectHeld(into) {
      for (const outcome of queued) into.push(outcome.deliveryId);
      for (const batch of writing.keys()) for (const outcome of batch) into.push(outcome.deliveryId);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      await Promise.allSettled(writing.values());
      flush();
      await Promise.allSettled(writing.values());
      if (queued.length > 0) {
        log.warn(
          { unwritten: queued.length },
          'stopped before storage took these attempt results; their deliveries stay in flight and are attempted again on the next start',
        );
      }
    },
  };
}
