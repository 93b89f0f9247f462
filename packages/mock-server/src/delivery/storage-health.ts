import type { FastifyBaseLogger } from 'fastify';
import { storageFailure } from '../storage/storage-failure.js';

/** Tracks whether the database takes writes, and logs each change once. */
export interface StorageHealth {
  /** False from a failed storage call until a write succeeds again. */
  readonly healthy: boolean;
  /**
   * Notes a failed storage call (`doing` says what it was, e.g. "recording delivery attempts"):
   * logs the first failure of an outage, and returns how long to wait before trying again.
   */
  failed(error: unknown, doing: string): number;
  /** Notes a successful write: logs once that storage is back, when it was not. */
  recovered(): void;
}

/**
 * Makes the storage health of one engine: one error line when storage starts failing (however many
 * calls fail and are retried meanwhile), one line when a write succeeds again, and waits that double
 * from `retryMinMs` to `retryMaxMs` between tries.
 *
 * @example
 * const health = createStorageHealth({ log, retryMinMs: 50, retryMaxMs: 2000 });
 * try { write(); health.recovered(); } catch (error) { setTimeout(retry, health.failed(error, 'writing')); }
 */
export function createStorageHealth({
  log,
  retryMinMs,
  retryMaxMs,
}: {
  log: FastifyBaseLogger;
  retryMinMs: number;
  retryMaxMs: number;
}): StorageHealth {
  let failingSince: number | null = null;
  let failures = 0;
  let wait = retryMinMs;
  return {
    get healthy() {
      return failingSince === null;
    },
    failed(error, doing) {
      failures++;
      if (failingSince === null) {
        failingSince = Date.now();
        const kind = storageFailure(error);
        log.error(
          { err: error, code: (error as { code?: unknown })?.code },
          kind === 'busy'
            ? `storage unavailable: the database is locked by another connection (${doing}); results are kept in memory and retried until it is free`
            : `storage unavailable: ${doing} failed; results are kept in memory and retried until storage works again`,
        );
        wait = retryMinMs;
        return wait;
      }
      wait = Math.min(wait * 2, retryMaxMs);
      return wait;
    },
    recovered() {
      if (failingSince === null) return;
      log.warn(
        { unavailableMs: Date.now() - failingSince, failedCalls: failures },
        'storage available again: kept results are being written',
      );
      failingSince = null;
      failures = 0;
      wait = retryMinMs;
    },
  };
}
