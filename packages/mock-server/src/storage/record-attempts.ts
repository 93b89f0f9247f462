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
    `INSERT OR REPLACE INTO attempts (delivery_id, number, started_at, duration_ms, status_code, error,
       response_excerpt, response_truncated, request_headers, response_headers, first_byte_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        attempt.responseTruncated ? 1 : 0,
        // Headers as one JSON text in the same row: no extra write per attempt.
        attempt.requestHeaders === null ? null : JSON.stringify(attempt.requestHeaders),
        attempt.responseHeaders === null ? null : JSON.stringify(attempt.responseHeaders),
        attempt.firstByteMs,
      );
      finishAttempt.run(status, attempt.number, nextAttemptAt, now, deliveryId);
    }
  });
}
