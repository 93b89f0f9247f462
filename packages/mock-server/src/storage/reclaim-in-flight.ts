import type { Db } from './open-database.js';

/** `DeliveryStore.reclaimInFlight()`: see there. */
export type ReclaimInFlight = (leaseEndedBy: number, now: number, held: readonly string[]) => number;

/**
 * Makes `reclaimInFlight()` over an open database: makes deliveries in flight whose lease ended by
 * `leaseEndedBy` pending and due at `now`, except the `held` ones (the engine still has them in
 * memory: queued, being sent, or their outcome waiting to be written). Returns how many.
 */
export function createReclaimInFlight(db: Db): ReclaimInFlight {
  // Scans the table: no index picks in-flight rows (one would cost every delivery two more index
  // writes); this runs at start and every few seconds, not per delivery.
  const reclaim = db.prepare<[number, number, number, string]>(
    `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ?
     WHERE status = 'in_flight' AND next_attempt_at <= ?
       AND id NOT IN (SELECT value FROM json_each(?))`,
  );
  return (leaseEndedBy, now, held) => reclaim.run(now, now, leaseEndedBy, JSON.stringify(held)).changes;
}
