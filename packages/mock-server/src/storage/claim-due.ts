import type { ClaimedDelivery, DeliveryRow } from './delivery-store.js';
import type { Db } from './open-database.js';

/** `DeliveryStore.claimDue()`: see there. */
export type ClaimDue = (
  now: number,
  leaseUntil: number,
  limit: number,
  capacity: (webhookId: string) => number,
  saturated: readonly string[],
) => { claimed: ClaimedDelivery[]; more: boolean };

/**
 * Makes `claimDue()` over an open database: marks due pending deliveries in flight with a lease and
 * returns them, oldest due first, within each webhook's free capacity.
 */
export function createClaimDue(db: Db): ClaimDue {
  // Only pending rows: every in_flight row belongs to the running engine (held in memory until its
  // outcome is written); rows it lost hold of are reclaimed by `reclaimInFlight()`. A claimed row
  // keeps its lease end in next_attempt_at.
  const due = db.prepare<[number, string, number], Pick<DeliveryRow, 'id' | 'webhook_id'>>(
    `SELECT id, webhook_id FROM deliveries
     WHERE status = 'pending' AND next_attempt_at <= ?
       AND webhook_id NOT IN (SELECT value FROM json_each(?))
     ORDER BY next_attempt_at LIMIT ?`,
  );
  const claim = db.prepare<[number, number, string], DeliveryRow>(
    `UPDATE deliveries SET status = 'in_flight', next_attempt_at = ?, updated_at = ? WHERE id = ?
     RETURNING id, event_id, webhook_id, event_type, attempt_count`,
  );
  const claimAll = db.transaction((ids: readonly string[], leaseUntil: number, now: number) =>
    ids.map((id): ClaimedDelivery => {
      const row = claim.get(leaseUntil, now, id) as DeliveryRow;
      return {
        id: row.id,
        eventId: row.event_id,
        webhookId: row.webhook_id,
        eventType: row.event_type,
        attemptCount: row.attempt_count,
      };
    }),
  );

  return function claimDue(now, leaseUntil, limit, capacity, saturated) {
    const window = limit * 4;
    const candidates = due.all(now, JSON.stringify(saturated), window);
    const taken = new Map<string, number>();
    const ids: string[] = [];
    let more = candidates.length === window;
    for (const candidate of candidates) {
      const used = taken.get(candidate.webhook_id) ?? 0;
      if (ids.length >= limit || used >= capacity(candidate.webhook_id)) {
        more = true;
        continue;
      }
      taken.set(candidate.webhook_id, used + 1);
      ids.push(candidate.id);
    }
    // Read first, write only when there is something to claim: an idle look costs no commit. One
    // server per file (see `acquireDatabaseLock()`), so nothing can claim these rows in between.
    return { claimed: ids.length > 0 ? claimAll(ids, leaseUntil, now) : [], more };
  };
}
