import { WebhookRequestError } from '../errors/webhook-request-error.js';
import { MemoryReplayStore } from './memory-replay-store.js';
import type { ReplayClaim, ReplayStore } from './replay-store.js';

/** Default time a processed id is remembered: 3 days, past Caleida's whole retry schedule. */
export const DEFAULT_REPLAY_RETENTION_SECONDS = 3 * 24 * 60 * 60;
/** Default lease of a claim: 60 s, four times Caleida's 15 s attempt timeout. */
export const DEFAULT_REPLAY_LEASE_SECONDS = 60;
/** Default deadline of one replay store call. */
export const DEFAULT_REPLAY_STORE_TIMEOUT_MS = 2_000;
/** Seconds a 503 `replay_store_unavailable` asks the sender to wait. */
export const REPLAY_STORE_RETRY_AFTER_SECONDS = 5;

/** Options of `createReplayGuard()`: the receiver's replay options, defaults applied. */
export interface ReplayGuardOptions {
  store: ReplayStore;
  retentionSeconds: number;
  leaseSeconds: number;
  timeoutMs: number;
  onStoreError: 'fail-closed' | 'fail-open';
  /** The timestamp window in seconds: a retention shorter than it would let a replay through. */
  windowSeconds: number;
  logger: Pick<Console, 'error'>;
}

/** What `ReplayGuard.admit()` decided for one event id. */
export type ReplayAdmission =
  | { duplicate: true }
  | { duplicate: false; settle(succeeded: boolean): Promise<void> };

/** The receiver's side of a replay store: claims, settles, deadlines and fail-closed answers. */
export interface ReplayGuard {
  /**
   * Claims `id`. Resolves to a duplicate (already processed) or to the settle function of a new
   * claim; throws `in_flight` (409), or `replay_store_unavailable` (503) when the store fails and
   * the receiver fails closed. A store in this process answers synchronously (a value, or a throw),
   * so the receiver spends no promise or tick on it.
   */
  admit(id: string): ReplayAdmission | Promise<ReplayAdmission>;
}

const DUPLICATE: ReplayAdmission = Object.freeze({ duplicate: true });
/** The one resolved promise every settle of an in-process store returns: nothing left to wait for. */
export const SETTLED: Promise<void> = Promise.resolve();
/** The settle of an event no store guards: nothing to record, one shared resolved promise. */
export const settleNothing = (): Promise<void> => SETTLED;
const UNGUARDED: ReplayAdmission = Object.freeze({ duplicate: false, settle: settleNothing });

/**
 * Wraps a replay store for the receiver. Every call gets a deadline; a failing store is logged once
 * when it fails and once when it answers again, so an outage leaves two lines, not one per request.
 * Options are checked here, when the receiver is created.
 */
export function createReplayGuard({
  store,
  retentionSeconds,
  leaseSeconds,
  timeoutMs,
  onStoreError,
  windowSeconds,
  logger,
}: ReplayGuardOptions): ReplayGuard {
  if (
    typeof store?.claim !== 'function' ||
    typeof store.complete !== 'function' ||
    typeof store.release !== 'function'
  ) {
    throw new TypeError(
      '@caleida/verify: replayStore must have claim(id, { leaseSeconds }), complete(id, token, { retentionSeconds }) and release(id, token), or be false.',
    );
  }
  if (!(Number.isFinite(retentionSeconds) && retentionSeconds >= windowSeconds)) {
    throw new TypeError(
      `@caleida/verify: replayRetentionSeconds must be a number of seconds of at least ${windowSeconds} (twice toleranceSeconds), got ${String(retentionSeconds)}; the default, 3 days, covers Caleida's retries.`,
    );
  }
  if (!(Number.isFinite(leaseSeconds) && leaseSeconds > 0)) {
    throw new TypeError(
      `@caleida/verify: replayLeaseSeconds must be a positive number of seconds, longer than your slowest handler, got ${String(leaseSeconds)}.`,
    );
  }
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError(
      `@caleida/verify: replayStoreTimeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}.`,
    );
  }
  if (onStoreError !== 'fail-closed' && onStoreError !== 'fail-open') {
    throw new TypeError(
      `@caleida/verify: onReplayStoreError must be 'fail-closed' or 'fail-open', got ${String(onStoreError)}.`,
    );
  }
  let storeDown = false;
  const noteAnswered = (): void => {
    if (storeDown) {
      storeDown = false;
      logger.error('[@caleida/verify] The replay store answers again; webhooks are processed normally.');
    }
  };
  const noteFailed = (error: unknown): void => {
    if (!storeDown) {
      storeDown = true;
      const reason = error instanceof Error ? error.message : String(error);
      logger.error(
        onStoreError === 'fail-open'
          ? `[@caleida/verify] The replay store failed (${reason}); running handlers without duplicate protection until it answers again.`
          : `[@caleida/verify] The replay store failed (${reason}); answering 503 replay_store_unavailable until it answers again.`,
      );
    }
  };
  const unavailable = (id: string): WebhookRequestError =>
    new WebhookRequestError(
      'replay_store_unavailable',
      `The replay store is unavailable, so event ${id} was not processed; Caleida will retry it.`,
    );

  const call = async <T>(operation: () => Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const result = await Promise.race([
        operation(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the replay store did not answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      noteAnswered();
      return result;
    } catch (error) {
      noteFailed(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  const admission = (
    id: string,
    claim: ReplayClaim,
    settleClaim: (token: string, succeeded: boolean) => Promise<void> | void,
  ): ReplayAdmission => {
    if (claim.state === 'processed') return DUPLICATE;
    if (claim.state === 'in_flight') {
      throw new WebhookRequestError(
        'in_flight',
        `Event ${id} is being processed right now by another request; Caleida will retry if that one fails.`,
      );
    }
    const { token } = claim;
    let settled = false;
    return {
      duplicate: false,
      settle(succeeded) {
        if (settled) return SETTLED;
        settled = true;
        // A store in this process settles synchronously: one shared resolved promise, none per call.
        return settleClaim(token, succeeded) ?? SETTLED;
      },
    };
  };

  const local = inProcessStore(store);
  if (local) {
    // The same rules as below, on a store in this process: no deadline, no tick per call.
    return {
      admit(id) {
        let claim: ReplayClaim;
        try {
          claim = local.claimSync(id, { leaseSeconds });
          noteAnswered();
        } catch (error) {
          noteFailed(error);
          if (onStoreError === 'fail-open') return UNGUARDED;
          throw unavailable(id);
        }
        return admission(id, claim, (token, succeeded) => {
          try {
            if (succeeded) local.completeSync(id, token, { retentionSeconds });
            else local.releaseSync(id, token);
            noteAnswered();
          } catch (error) {
            // As below: the claim lapses after its lease, and the next copy runs again.
            noteFailed(error);
          }
        });
      },
    };
  }

  return {
    async admit(id) {
      let claim: Awaited<ReturnType<ReplayStore['claim']>>;
      const pending = store.claim(id, { leaseSeconds });
      try {
        claim = await call(() => pending);
      } catch {
        // A claim past its deadline may still land later (a client that queues commands while
        // disconnected sends them on reconnect): nobody would settle it, and the id would answer 409
        // for a whole lease. Release it as soon as it lands.
        pending
          .then(
            (late) => (late.state === 'new' ? store.release(id, late.token) : undefined),
            () => {},
          )
          .catch(() => {});
        if (onStoreError === 'fail-open') return UNGUARDED;
        throw unavailable(id);
      }
      return admission(id, claim, async (token, succeeded) => {
        try {
          if (succeeded) await call(() => store.complete(id, token, { retentionSeconds }));
          else await call(() => store.release(id, token));
        } catch {
          // Logged by call(). The claim then lapses after its lease, and the next copy runs again:
          // at least once, never lost.
        }
      });
    },
  };
}

/**
 * The synchronous side of a `MemoryReplayStore` whose claim, complete and release are its own (a
 * subclass that overrides one keeps the promise path, so its override runs).
 */
function inProcessStore(store: ReplayStore): MemoryReplayStore | undefined {
  const own = MemoryReplayStore.prototype;
  return store instanceof MemoryReplayStore &&
    store.claim === own.claim &&
    store.complete === own.complete &&
    store.release === own.release
    ? store
    : undefined;
}
