import type { FastifyBaseLogger } from 'fastify';
import type { DeliveryStore } from '../storage/delivery-store.js';
import type { StorageHealth } from './storage-health.js';

/** What `createReclaimLeftInFlight()` needs. */
export interface ReclaimLeftInFlightOptions {
  deliveries: Pick<DeliveryStore, 'reclaimInFlight'>;
  health: StorageHealth;
  log: FastifyBaseLogger;
  /** Ids of the deliveries the engine holds in memory: their rows are in flight and must stay so. */
  heldIds(): string[];
  /** Called when deliveries were made due, to claim them. */
  wake(): void;
}

/** Makes deliveries the engine no longer holds due again. */
export interface ReclaimLeftInFlight {
  /** At start: every row in flight was left by a previous process (or is held). Throws on a storage failure. */
  releaseAtStart(): void;
  /** While running: rows whose lease ended and that nobody holds. Never throws. */
  reclaimExpired(): void;
}

/**
 * Makes the reclaimer of deliveries left in flight: by a process that died (at start), or by this
 * engine when a storage call failed mid-attempt and the row kept its in-flight status (every few
 * seconds, once the lease is over).
 */
export function createReclaimLeftInFlight({
  deliveries,
  health,
  log,
  heldIds,
  wake,
}: ReclaimLeftInFlightOptions): ReclaimLeftInFlight {
  return {
    releaseAtStart() {
      const released = deliveries.reclaimInFlight(Number.MAX_SAFE_INTEGER, Date.now(), heldIds());
      health.recovered();
      if (released > 0) log.info({ released }, 'deliveries left in flight by a previous run are due again');
    },
    reclaimExpired() {
      try {
        const now = Date.now();
        const reclaimed = deliveries.reclaimInFlight(now, now, heldIds());
        health.recovered();
        if (reclaimed > 0) {
          log.warn({ reclaimed }, 'deliveries left in flight past their lease are due again');
          wake();
        }
      } catch (error) {
        health.failed(error, 'reclaiming deliveries left in flight');
      }
    },
  };
}
