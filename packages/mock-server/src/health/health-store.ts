import type { Db } from '../storage/open-database.js';

/** A webhook's health as its stored attempts and deliveries show it. */
export interface StoredHealth {
  /** Whether each of its latest attempts succeeded, newest first. */
  recent: boolean[];
  /** When its first failed attempt after its last success was made; null when it is not failing. */
  failingSince: number | null;
  /** Deliveries that failed for good since `failingSince`. */
  exhausted: number;
}

/** The storage endpoint health reads and writes, outside the delivery hot path. */
export interface HealthStore {
  /** Reads a webhook's health from what is stored, counting only attempts since its last reset. */
  load(webhookId: string, window: number): StoredHealth;
  /** Starts counting a webhook's health afresh from `now` (it was enabled again). */
  reset(webhookId: string, now: number): void;
  /** Fails a webhook's pending deliveries (it was disabled); returns how many. */
  failPending(webhookId: string, now: number): number;
  /** Fails one delivery still unfinished (held in memory when its webhook was disabled). */
  failOne(deliveryId: string, now: number): void;
}

/**
 * Makes the health store over an open database. Reading a webhook's health scans its deliveries
 * once (`deliveries_by_webhook`), when the server first needs it; from then on it is kept in memory.
 */
export function createHealthStore(db: Db): HealthStore {
  const since = db
    .prepare<[string], number>('SELECT coalesce(health_since, 0) FROM webhooks WHERE id = ?')
    .pluck();
  const recent = db
    .prepare<[string, number, number], number>(
      `SELECT coalesce(a.status_code BETWEEN 200 AND 299, 0) FROM deliveries d
       JOIN attempts a ON a.delivery_id = d.id
       WHERE d.webhook_id = ? AND a.started_at >= ? ORDER BY a.started_at DESC LIMIT ?`,
    )
    .pluck();
  const lastSuccess = db
    .prepare<[string, number], number | null>(
      `SELECT max(a.started_at) FROM deliveries d JOIN attempts a ON a.delivery_id = d.id
       WHERE d.webhook_id = ? AND a.started_at >= ? AND a.status_code BETWEEN 200 AND 299`,
    )
    .pluck();
  const firstFailureAfter = db
    .prepare<[string, number], number | null>(
      `SELECT min(a.started_at) FROM deliveries d JOIN attempts a ON a.delivery_id = d.id
       WHERE d.webhook_id = ? AND a.started_at > ?`,
    )
    .pluck();
  const exhaustedSince = db
    .prepare<[string, number], number>(
      "SELECT count(*) FROM deliveries WHERE webhook_id = ? AND status = 'failed' AND updated_at >= ?",
    )
    .pluck();
  const resetRow = db.prepare<[number, string]>('UPDATE webhooks SET health_since = ? WHERE id = ?');
  const failPendingRows = db.prepare<[number, string]>(
    "UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = ? WHERE webhook_id = ? AND status = 'pending'",
  );
  const failOneRow = db.prepare<[number, string]>(
    `UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = ?
     WHERE id = ? AND status IN ('pending', 'in_flight')`,
  );

  return {
    load(webhookId, window) {
      const from = since.get(webhookId) ?? 0;
      const success = lastSuccess.get(webhookId, from) ?? null;
      const failingSince = firstFailureAfter.get(webhookId, success ?? from - 1) ?? null;
      return {
        recent: recent.all(webhookId, from, window).map((ok) => ok === 1),
        failingSince,
        exhausted: failingSince === null ? 0 : (exhaustedSince.get(webhookId, failingSince) ?? 0),
      };
    },
    reset: (webhookId, now) => void resetRow.run(now, webhookId),
    failPending: (webhookId, now) => failPendingRows.run(now, webhookId).changes,
    failOne: (deliveryId, now) => void failOneRow.run(now, deliveryId),
  };
}
