import type { AttemptDetail } from './delivery-store.js';

/**
 * The SQL of the writes that both the event loop's connection and the writer thread run (see
 * `startSqliteWriter()`): one text for both, so the two cannot come to write different rows.
 */
export const WRITE_SQL = {
  insertDelivery: `INSERT INTO deliveries (id, event_id, webhook_id, event_type, status, attempt_count, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`,
  insertAttempt: `INSERT OR REPLACE INTO attempts (delivery_id, number, started_at, duration_ms, status_code, error,
       response_excerpt, response_truncated, request_headers, response_headers, first_byte_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // A delivery no longer in flight (cancelled meanwhile) keeps its status; its attempt is still logged.
  finishAttempt: `UPDATE deliveries SET status = ?, attempt_count = ?, next_attempt_at = ?, updated_at = ?
     WHERE id = ? AND status = 'in_flight'`,
} as const;

/** The values of `WRITE_SQL.insertAttempt` for one attempt, in its column order. */
export function attemptRow(deliveryId: string, attempt: AttemptDetail): unknown[] {
  return [
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
  ];
}
