import type { AttemptOutcome } from '../storage/delivery-store.js';

/** Values per outcome in the writer's `[1, now, ...values]` operation. */
export const OUTCOME_FIELDS = 13;

/**
 * An outcome batch as the writer thread's flat array: one clone of plain values instead of a tree
 * of objects. The order matches the worker's `INSERT INTO attempts` and `UPDATE deliveries`.
 */
export function encodeOutcomes(outcomes: readonly AttemptOutcome[], now: number): unknown[] {
  const op: unknown[] = [1, now];
  for (const { deliveryId, attempt, status, nextAttemptAt } of outcomes) {
    op.push(
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
      status,
      nextAttemptAt,
    );
  }
  return op;
}
