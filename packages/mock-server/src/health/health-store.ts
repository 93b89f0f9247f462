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
 * How far back `load()` looks: the latest this many attempts (by delivery, newest first) and
 * deliveries. Bounded so the first look at a webhook with millions of deliveries stays quick; a
 * run of failures longer than this counts from the oldest one seen.
 */
const LOOK_BACK = 1000;

/**
 * Makes the health store over an open database. A webhook's health is read from its latest
 * deliveries (`deliveries_by_webhook`, newest first) when the server first needs it; from then on
 * it is kept in memory.
 */
export function createHealthStore(db: Db): HealthStore {
  const since = db
    .prepare<[string], number>('SELECT coalesce(health_since, 0) FROM webhooks WHERE id = ?')
    .pluck();
  const latest = db.prepare<[string, number, number], { ok: number; started_at: number }>(
    `SELECT coalesce(a.status_code BETWEEN 200 AND 299, 0) AS ok, a.started_at FROM deliveries d
     JOIN attempts a ON a.delivery_id = d.id
     WHERE d.webhook_id = ? AND a.started_at >= ? ORDER BY d.seq DESC, a.number DESC LIMIT ?`,
  );
  const exhaustedSince = db
    .prepare<[string, number, number], number>(
      `SELECT count(*) FROM (SELECT status, updated_at FROM deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?)
       WHERE status = 'failed' AND updated_at >= ?`,
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
      const attempts = latest.all(webhookId, since.get(webhookId) ?? 0, LOOK_BACK);
      let failingSince: number | null = null;
      for (const attempt of attempts) {
        if (attempt.ok === 1) break;
        failingSince = Math.min(failingSince ?? attempt.started_at, attempt.started_at);
      }
      return {
        recent: attempts.slice(0, window).map((attempt) => attempt.ok === 1),
        failingSince,
        exhausted: failingSince === null ? 0 : (exhaustedSince.get(webhookId, LOOK_BACK, failingSince) ?? 0),
      };
    },
    reset: (webhookId, now) => void resetRow.run(now, webhookId),
    failPending: (webhookId, now) => failPendingRows.run(now, webhookId).changes,
    failOne: (deliveryId, now) => void failOneRow.run(now, deliveryId),
  };
}
