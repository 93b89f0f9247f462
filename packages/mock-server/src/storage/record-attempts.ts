import type { AttemptOutcome } from './delivery-store.js';
import type { Db } from './open-database.js';

/** `DeliveryStore.recordAttempts()`: see there. */
export type RecordAttempts = (outcomes: readonly AttemptOutcome[], now: number) => void;

/**
 * Makes `recordAttempts()` over an open database: writes each attempt and its delivery's new status
 * in one transaction (nested in the caller's when there is one, e.g. a group commit). A delivery
 * that is no longer in flight (cancelled meanwhile) keeps its status; its attempt is still logged.
 */
export function createRecordAttempts(db: Db): RecordAttempts {
  const insertAttempt = db.prepare(
    `INSERT OR REPLACE INTO attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_excerpt)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const finishAttempt = db.prepare(
    `UPDATE deliveries SET status = ?, attempt_count = ?, next_attempt_at = ?, updated_at = ?
     WHERE id = ? AND status = 'in_flight'`,
  );
  return db.transaction((outcomes: readonly AttemptOutcome[], now: number) => {
    for (const { deliveryId, attempt, status, nextAttemptAt } of outcomes) {
      insertAttempt.run(
        deliveryId,
        attempt.number,
        attempt.startedAt,
        attempt.durationMs,
        attempt.statusCode,
        attempt.error,
        attempt.responseExcerpt,
      );
      finishAttempt.run(status, attempt.number, nextAttemptAt, now, deliveryId);
    }
  });
}
